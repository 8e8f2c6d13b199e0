package whatsapp

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
)

func qrItems(items ...whatsmeow.QRChannelItem) <-chan whatsmeow.QRChannelItem {
	ch := make(chan whatsmeow.QRChannelItem, len(items))
	for _, it := range items {
		ch <- it
	}
	close(ch)
	return ch
}

func code(c string) whatsmeow.QRChannelItem {
	return whatsmeow.QRChannelItem{Event: whatsmeow.QRChannelEventCode, Code: c, Timeout: 20 * time.Second}
}

func TestShowPairing(t *testing.T) {
	tests := []struct {
		name      string
		items     []whatsmeow.QRChannelItem
		phoneCode bool
		wantErr   error
		wantOut   []string
		wantCodes int
	}{
		{
			name:      "scanned",
			items:     []whatsmeow.QRChannelItem{code("2@abc,def,ghi"), whatsmeow.QRChannelSuccess},
			wantOut:   []string{"Linked devices → Link a device", "▀", "A new code follows in 20s.", "Pairing succeeded."},
			wantCodes: 1,
		},
		{
			name:      "pairing code shown once beside the QR codes",
			items:     []whatsmeow.QRChannelItem{code("2@one"), code("2@two"), whatsmeow.QRChannelSuccess},
			phoneCode: true,
			wantOut:   []string{"Link with phone number instead\" on the phone and enter: ABCD-EFGH", "Pairing succeeded."},
			wantCodes: 2,
		},
		{
			name:    "codes ran out",
			items:   []whatsmeow.QRChannelItem{code("2@one"), whatsmeow.QRChannelTimeout},
			wantErr: ErrPairTimeout,
		},
		{
			name:    "pairing error",
			items:   []whatsmeow.QRChannelItem{{Event: whatsmeow.QRChannelEventError, Error: whatsmeow.ErrPairInvalidDeviceSignature}},
			wantErr: whatsmeow.ErrPairInvalidDeviceSignature,
		},
		{
			name:    "client outdated",
			items:   []whatsmeow.QRChannelItem{whatsmeow.QRChannelClientOutdated},
			wantErr: errAny,
		},
		{
			name:    "already connected",
			items:   []whatsmeow.QRChannelItem{whatsmeow.QRChannelErrUnexpectedEvent},
			wantErr: errAny,
		},
		{
			name:    "channel closed",
			items:   nil,
			wantErr: errAny,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			asked := 0
			var phoneCode func(context.Context) (string, error)
			if tt.phoneCode {
				phoneCode = func(context.Context) (string, error) { asked++; return "ABCD-EFGH", nil }
			}
			err := showPairing(context.Background(), qrItems(tt.items...), &out, phoneCode)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("showPairing = %v", err)
			case tt.wantErr == errAny && err == nil, tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("showPairing = %v, want %v", err, tt.wantErr)
			}
			got := out.String()
			for _, w := range tt.wantOut {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
			if n := strings.Count(got, "Link a device"); tt.wantCodes > 0 && n != tt.wantCodes {
				t.Errorf("%d QR codes shown, want %d", n, tt.wantCodes)
			}
			if tt.phoneCode && asked != 1 {
				t.Errorf("pairing code asked %d times, want once", asked)
			}
		})
	}
}

// errAny stands for "some error" in the table above.
var errAny = errors.New("any error")
