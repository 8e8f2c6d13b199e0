package distress_test

import (
	"testing"

	"github.com/runforautism/rfabot/distress"
)

func TestSameName(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Айгерим Нурланова", "NURLANOVA Aigerim", true},
		{"Әсел Қайратқызы", "Asel Kairatkyzy", true},
		{"Әсел Қайратқызы", "Қайратқызы Әсел", true},
		{"Сергей Иванов", "Sergey Ivanov", true},
		{"Иванов Пётр Сергеевич", "Иванов Петр", true},
		{"Иванов Пётр", "Иванов П.", true},
		{"Dana Lee", "Lee, Dana", true},
		{"Jörg Müller", "Müller Jörg", true},
		{"Айгерим Нурланова", "Dana Lee", false},
		{"Иванов Пётр", "Иванов Павел", false},
		{"Dana Lee", "Dana", true},
		{"Alex Kim", "Ким Алекс", true},
		{"Oliver Smith", "Смит Оливер", true},
		{"Әсел Қайратқызы", "QAIRATQYZY Äsel", true},
		{"Данияр Ахметов", "Ahmetov Danijar", true},
		{"Dana Lee", "Anna Lee", false},
		{"Dana Lee", "", false},
		{"Anna Anna", "Anna Berg", false},
	}
	for _, tt := range tests {
		if got := distress.SameName(tt.a, tt.b); got != tt.want {
			t.Errorf("SameName(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
