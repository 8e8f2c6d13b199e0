package flows_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/bot/bottest"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/formats/results"
	"github.com/runforautism/rfabot/locales"
	"github.com/runforautism/rfabot/storage"
)

// Fuzz tests of everything a user's message reaches in flows: the
// parsers of names, dates of birth and phone numbers, and the whole
// conversation driven by random sequences of messages. `go test` replays
// the seeds in testdata/fuzz; `go test -fuzz FuzzConversation ./flows/`
// searches for more (docs/PERFORMANCE.md).
//
// FuzzResultsFile reads any bytes as a timing company's results file.
// For every input: no panic; a file that cannot be read names a problem
// the locale files explain; every row read has a bib, a line below the
// header, and a time that reads back the same when written out; every
// row that cannot be read names its line and a problem the locale files
// explain. The seeds are sample files in the encodings and separators
// timing companies use; found failures go to testdata/fuzz.
func FuzzResultsFile(f *testing.F) {
	for _, s := range []string{
		"bib,time\n1001,0:25:13\n1002,25:14\n",
		"\uFEFFНомер;Время;Чип;Статус\n1001;0:25:13;0:25:10;\n1002;;;DNF\n",
		"нөмір\tуақыт\n1001\t1:02:03.4\n",
		"Start Number,Gun Time,Chip Time,Status\n7,99:99,x,DQ\n,,,\n",
		"bib;time\n\"1001;0:25:13\n",
		"\xff\xfeb\x00i\x00b\x00,\x00t\x00i\x00m\x00e\x00\n\x001\x00,\x001\x00:\x000\x000\x00\n\x00",
		"\xcd\xee\xec\xe5\xf0;\xc2\xf0\xe5\xec\xff\n1001;0:25:13\n",
		"Protokoll;;\n\nStnr;Name;Zeit;Platz\n1;M\xfcller;48:00:00;1.\n2;Lee;12:24:05 AM;-\n3;Kim;н/я;\n",
		"",
	} {
		f.Add([]byte(s))
	}
	ids := localeIDs(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		file := results.Read(data, nil)
		if file.Problem != "" {
			if !ids["import_file_"+file.Problem] {
				t.Fatalf("file problem %q has no text import_file_%s", file.Problem, file.Problem)
			}
			if len(file.Rows)+len(file.Problems) != 0 {
				t.Fatalf("an unreadable file has rows: %+v", file)
			}
			return
		}
		for _, row := range file.Rows {
			if row.Line < 2 || row.Bib <= 0 {
				t.Fatalf("row %+v: a line below the header and a bib", row)
			}
			if d, _ := row.Time.Resolve(nil); row.Status == results.Finished && d <= 0 {
				t.Fatalf("row %+v: a finisher without a time", row)
			}
			for _, r := range []results.Reading{row.Time, row.Chip} {
				d, _ := r.Resolve(nil)
				if d == 0 || d >= 24*time.Hour {
					continue
				}
				if back, err := results.ParseTime(results.FormatTime(d)); err != nil || back != d {
					t.Fatalf("time %v written as %q reads back as %v, %v", d, results.FormatTime(d), back, err)
				}
			}
		}
		for _, p := range file.Problems {
			if p.Line < 2 || !ids["import_row_"+p.Problem] {
				t.Fatalf("problem %+v: a line below the header and a text import_row_%s", p, p.Problem)
			}
		}
	})
}

// localeIDs are the message ids of the locale files.
func localeIDs(tb testing.TB) map[string]bool {
	tb.Helper()
	var raw map[string]any
	if _, err := toml.DecodeFile(filepath.Join("..", "locales", "active.en.toml"), &raw); err != nil {
		tb.Fatal(err)
	}
	ids := map[string]bool{}
	for id := range raw {
		ids[id] = true
	}
	return ids
}

// errID is the message id a parser's error shows the user.
func errID(t *testing.T, err error, ids map[string]bool) string {
	t.Helper()
	id, ok := strings.CutPrefix(err.Error(), "invalid input: ")
	if !ok || !ids[id] {
		t.Fatalf("error %q names no message the user could be shown", err)
	}
	return id
}

func FuzzParseName(f *testing.F) {
	for _, s := range []string{"Айгерім Нұрланқызы", "  Әлия   Қасымқызы ", "Sean O'Brien", "D’Artagnan", "Анна-Мария", "Aigerim 2", "http://x.kz", "王小明", "A", ""} {
		f.Add(s)
	}
	ids := localeIDs(f)
	f.Fuzz(func(t *testing.T, s string) {
		name, err := flows.ParseName(s)
		if err != nil {
			errID(t, err, ids)
			return
		}
		if again, err := flows.ParseName(name); err != nil || again != name {
			t.Fatalf("ParseName(%q) = %q, but %q reads as %q, %v", s, name, name, again, err)
		}
		if n := utf8.RuneCountInString(name); n < 2 || n > 100 || name != strings.Join(strings.Fields(name), " ") ||
			strings.ContainsAny(name, "0123456789/@") {
			t.Fatalf("ParseName(%q) = %q", s, name)
		}
	})
}

func FuzzParseBirth(f *testing.F) {
	for _, s := range []string{"31.12.1990", "1990-12-31", "29.02.2008", "29.02.2009", " 1 . 2 . 1990 ", "03.04.2027", "01.01.1900", "99.99.9999", "1/2/1990"} {
		f.Add(s)
	}
	ids := localeIDs(f)
	day := time.Date(2027, 4, 3, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		b, err := flows.ParseBirth(s, day)
		if err != nil {
			errID(t, err, ids)
			return
		}
		if !b.Before(day) || event.AgeOn(b, day) > 110 {
			t.Fatalf("ParseBirth(%q) = %v: not a date of birth before %v", s, b, day)
		}
		if again, err := flows.ParseBirth(b.Format("02.01.2006"), day); err != nil || !again.Equal(b) {
			t.Fatalf("ParseBirth(%q) = %v, which reads back as %v, %v", s, b, again, err)
		}
	})
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"8 701 234 56 78", "+7 (701) 234-56-78", "7012345678", "+44 20 7946 0958", "77015556677", "+0123456789", "12345", "８７０１"} {
		f.Add(s)
	}
	ids := localeIDs(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, parse := range []func(string) (string, error){flows.ParsePhone, flows.ParseSharedPhone} {
			p, err := parse(s)
			if err != nil {
				errID(t, err, ids)
				continue
			}
			if !e164.MatchString(p) {
				t.Fatalf("%q read as %q, not E.164", s, p)
			}
			if again, err := flows.ParsePhone(p); err != nil || again != p {
				t.Fatalf("%q read as %q, which reads back as %q, %v", s, p, again, err)
			}
		}
	})
}

// fuzzBot is the bot a conversation fuzz talks to: the real engine,
// flows and storage on a temporary file, with promo codes, an organizer
// and a clock the script moves.
type fuzzBot struct {
	conv   *flows.Flows
	engine *bot.Engine
	store  *storage.Store
	ev     *event.Config
	cat    *locales.Catalog
	log    *lockedBuffer
	ids    map[string]bool
	// families are the first words of the ids with an underscore
	// ("reg" of "reg_name_ask"): a word like "reg_x" in a reply is a
	// text id that leaked, even one the locale files lack.
	families map[string]bool
	users    atomic.Int64
	// msgs numbers the message ids of the messages delivered twice.
	msgs atomic.Int64

	mu  sync.Mutex
	now time.Time
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// take returns what was written since the last take.
func (l *lockedBuffer) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.b.String()
	l.b.Reset()
	return s
}

const fuzzAdmin = "admin"

func newFuzzBot(tb testing.TB) *fuzzBot {
	tb.Helper()
	src, err := os.ReadFile(filepath.Join("..", "event", "event.example.toml"))
	if err != nil {
		tb.Fatal(err)
	}
	src = append(src, []byte(`
[[promo_codes]]
code = "VOLUNTEER"
percent = 100
limit = 3
valid_until = "2027-03-31"

[[promo_codes]]
code = "FRIENDS10"
amount = 1000
limit = 1000
valid_until = "2027-02-01"
`)...)
	ev, err := event.Parse(src)
	if err != nil {
		tb.Fatal(err)
	}
	cat, err := locales.Load()
	if err != nil {
		tb.Fatal(err)
	}
	store, err := storage.Open(filepath.Join(tb.TempDir(), "bot.db"), storage.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	fb := &fuzzBot{store: store, ev: ev, cat: cat, log: &lockedBuffer{}, ids: localeIDs(tb), families: map[string]bool{}, now: testNow}
	for id := range fb.ids {
		if first, _, ok := strings.Cut(id, "_"); ok {
			fb.families[first] = true
		}
	}
	fb.conv = flows.New(flows.Config{Store: store, Event: ev, Catalog: cat, Now: fb.clock, Admins: []string{"test:" + fuzzAdmin},
		Payments: fakeLinks{}, SupportChatID: "-1001234567890"})
	fb.engine = bot.NewEngine(fb.conv, slog.New(slog.NewTextHandler(fb.log, &slog.HandlerOptions{Level: slog.LevelWarn})))
	return fb
}

func (fb *fuzzBot) clock() time.Time {
	fb.mu.Lock()
	defer fb.mu.Unlock()
	return fb.now
}

func (fb *fuzzBot) setClock(t time.Time) {
	fb.mu.Lock()
	defer fb.mu.Unlock()
	fb.now = t
}

// What the script types: answers of every kind, in the three languages,
// and things people send that are not answers.
var fuzzTexts = []string{
	"Әсел Қайратқызы", "Айгерим Нурланова", "Oliver Smith", "Анна-Мария Петрова", "Sean O'Brien", "Ян",
	"15.05.1990", "01.06.2012", "12.03.2019", "31.02.1990", "1990-12-31", "03.04.2027", "01.01.1900",
	"8 701 123 45 67", "+7 702 555 66 77", "87017654321", "+44 20 7946 0958", "12345", "+7 (701) 000-00-00",
	"VOLUNTEER", "friends10", " FRIENDS10 ", "NOPE",
	"/start", "/start register", "/start funstarts", "/start support", "/start info", "/start poster2027",
	"/menu", "/cancel", "/lang", "/help", "/support", "/admin", "/broadcast", "/broadcast_status",
	"/markpaid RFA-AAAA cash", "/unknown", "/", "/START@rfa_bot",
	"не хочу больше жить", "I want to die", "өзіме зиян келтіргім келеді", "this 10k is going to kill me", "мне нужен психолог",
	"help me register", "помогите зарегистрироваться", "тіркелуге көмектесіңізші",
	"1", "2", "3", "7", "0", "-1", "99999999999999999999",
	"", "   ", "🏃‍♀️🏃", "Сәлем! Қалайсыз?", "Когда старт?", "where is the kit pickup", "да", "ok", "нет", "none",
	"<b>bold</b> & co", "\u202eevil", "reg_name_ask", "Не знаю", "Қасымов Ерлан Әбдірахманұлы-Сейітқали",
	strings.Repeat("ә", 5000), strings.Repeat("a", 4096), strings.Repeat("Ж", 4097),
}

// fuzzPayloads are button payloads the bot uses, some with values it
// never offers, as a modified client could send.
var fuzzPayloads = []string{
	"menu", "m:reg", "m:fun", "m:my", "m:info", "m:sup", "m:lang", "m:rem", "lang:kk", "lang:ru", "lang:en", "lang:de",
	"back", "cancel", "reg:ok", "reg:edit", "e:reg.name", "e:reg.bogus", "e:menu", "agree", "phone:known",
	"cancel:yes", "cancel:no", "reg:promo", "promo:none", "g:female", "g:male", "g:x", "mode:inperson", "mode:online",
	"mode:mars", "d:1k", "d:10k", "d:42k", "w:5k", "w:nope", "cat:general", "cat:para", "cat:x", "size:M", "size:XXXXL",
	"resume:go", "resume:new", "rem:off", "r:RFA-AAAA", "r:", "my:back", "ch:tshirt", "ch:em", "ch:dist", "ch:mode",
	"ch:transfer", "ch:cancel", "ch:yes", "fun:go", "notes:none", strings.Repeat("x", 65),
}

// script reads a fuzz input as a sequence of things a user does.
type script struct {
	b []byte
}

func (s *script) next() (byte, bool) {
	if len(s.b) == 0 {
		return 0, false
	}
	c := s.b[0]
	s.b = s.b[1:]
	return c, true
}

func (s *script) pick(n int) int {
	c, _ := s.next()
	return int(c) % n
}

// text is up to 255 bytes of the script as valid UTF-8 (messengers only
// deliver valid text).
func (s *script) text() string {
	n := s.pick(256)
	n = min(n, len(s.b))
	t := string(s.b[:n])
	s.b = s.b[n:]
	return strings.ToValidUTF8(t, "\uFFFD")
}

// FuzzConversation drives one user (sometimes the organizer) through a
// random sequence of messages: typed answers and nonsense, commands,
// buttons of the last reply and buttons from nowhere, old buttons,
// shared contacts, pictures, the same message delivered twice, payments
// and the clock moving on. After each message: the bot answered, in
// words (no message id), without an internal error, its buttons fit
// Telegram, and the user's stored step is one the conversation defines;
// after the script, every place held is counted once and no bib is
// given twice.
func FuzzConversation(f *testing.F) {
	for _, seed := range conversationSeeds() {
		f.Add(seed)
	}
	fb := newFuzzBot(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		fb.setClock(testNow)
		s := &script{b: in}
		uid := fmt.Sprintf("f%d", fb.users.Add(1))
		if c, _ := s.next(); c%8 == 0 {
			uid = fuzzAdmin
		}
		hint := []string{"", "kk", "ru", "en", "de", "ru-RU"}[s.pick(6)]
		var last dialog.Reply
		var typed []string
		var prev dialog.Message
		ctx := context.Background()
		send := func(m dialog.Message) {
			m.Channel, m.UserID, m.LangHint = "test", uid, hint
			if m.Text != "" {
				typed = append(typed, m.Text)
			}
			replies := bottest.Handle(ctx, fb.engine, m)
			prev = m
			fb.check(t, m, replies, typed)
			last = replies[len(replies)-1]
			t.Logf("%s %q %q %v → %q %q", uid, short(m.Text), m.Payload, m.Phone != "" || m.NonText, short(last.Text), labels(last))
		}
		for steps := 0; steps < 64; steps++ {
			op, ok := s.next()
			if !ok {
				break
			}
			switch op % 14 {
			case 0, 1, 2: // press a button of the last reply
				if i := s.pick(256); len(last.Choices) > 0 {
					send(dialog.Message{Payload: last.Choices[i%len(last.Choices)].Payload})
				}
			case 3: // type a button's label
				if i := s.pick(256); len(last.Choices) > 0 {
					send(dialog.Message{Text: last.Choices[i%len(last.Choices)].Label})
				}
			case 4: // type a number, on a channel of numbered choices
				send(dialog.Message{Text: fmt.Sprint(s.pick(12)), Numbered: true})
			case 5, 6, 7: // type an answer, a command or nonsense
				send(dialog.Message{Text: fuzzTexts[s.pick(len(fuzzTexts))]})
			case 8: // type anything
				send(dialog.Message{Text: s.text()})
			case 9: // press a button the reply did not offer, or an old one
				c, _ := s.next()
				switch {
				case c%4 == 0 && len(last.Choices) > 0:
					send(dialog.Message{Payload: last.Choices[int(c/4)%len(last.Choices)].Payload, Pressed: &dialog.Pressed{Text: "an earlier question"}})
				case c%4 == 1:
					send(dialog.Message{Payload: s.text()})
				default:
					send(dialog.Message{Payload: fuzzPayloads[int(c)%len(fuzzPayloads)]})
				}
			case 10: // share a contact, or send a picture
				if c, _ := s.next(); c%3 == 0 {
					send(dialog.Message{NonText: true})
				} else {
					send(dialog.Message{Phone: []string{"+77015556677", "77015556677", "+447911123456", "123", "+7 701"}[int(c)%5]})
				}
			case 11: // the messenger delivers a message twice: answered once
				if prev.UserID == "" {
					continue
				}
				m := prev
				m.ID = fmt.Sprintf("m%d", fb.msgs.Add(1))
				send(m)
				if again := bottest.Handle(ctx, fb.engine, prev); len(again) != 0 {
					t.Fatalf("message %s delivered twice was answered twice: %q", m.ID, again[0].Text)
				}
			case 12: // a payment notification for the user's order
				fb.pay(t, "test:"+uid, s.pick(3))
			case 13: // time passes: holds lapse, reminders come due
				fb.setClock(fb.clock().Add(time.Duration(1+s.pick(96)) * time.Hour))
				if err := fb.conv.Tick(ctx); err != nil {
					t.Fatalf("tick: %v", err)
				}
				if _, err := fb.conv.QueueReminders(ctx, fb.clock()); err != nil {
					t.Fatalf("reminders: %v", err)
				}
			}
		}
		fb.invariants(t)
	})
}

// Steps of a script, to write seeds that read as conversations.
func opPress(i int) []byte     { return []byte{0, byte(i)} }
func opTypeLabel(i int) []byte { return []byte{3, byte(i)} }
func opNumber(n int) []byte    { return []byte{4, byte(n)} }
func opStale(i int) []byte     { return []byte{9, byte(4 * i)} }
func opContact() []byte        { return []byte{10, 1} }
func opPhoto() []byte          { return []byte{10, 0} }
func opTwice() []byte          { return []byte{11} }
func opPayOrder(status int) []byte {
	return []byte{12, byte(status)}
}
func opHours(h int) []byte { return []byte{13, byte(h - 1)} }

func opSay(text string) []byte {
	for i, t := range fuzzTexts {
		if t == text {
			return []byte{5, byte(i)}
		}
	}
	panic("no text " + text)
}

func opSayRaw(text string) []byte { return append([]byte{8, byte(len(text))}, text...) }

func opPayload(p string) []byte {
	for i, q := range fuzzPayloads {
		if q == p {
			return []byte{9, byte(i)}
		}
	}
	panic("no payload " + p)
}

// seed is a script: who (admin or not), the language hint, then steps.
func scriptOf(admin bool, hint int, steps ...[]byte) []byte {
	who := byte(1)
	if admin {
		who = 0
	}
	b := []byte{who, byte(hint)}
	for _, s := range steps {
		b = append(b, s...)
	}
	return b
}

// conversationSeeds are the scripts FuzzConversation starts from: the
// journeys people take, each with something going wrong.
func conversationSeeds() [][]byte {
	register := [][]byte{
		opSay("/start"), opPress(0), opSay("Айгерим Нурланова"), opSay("15.05.1990"), opPress(0), opSay("8 701 123 45 67"),
		opPress(0), opPress(3), opPress(0), opPress(2), opSay("Oliver Smith"), opSay("+7 702 555 66 77"), opPress(0),
	}
	return [][]byte{
		// Registers in Russian, pays, changes the t-shirt.
		scriptOf(false, 2, append(append([][]byte{}, register...), opPress(0), opPayOrder(0), opSay("/menu"), opPress(2), opPress(0), opPress(0), opPress(1))...),
		// Kazakh, a minor with a guardian, a promo code, an edit, a lapse.
		scriptOf(false, 1, opSay("/start"), opPress(0), opSay("Әсел Қайратқызы"), opSay("01.06.2012"), opPress(1), opContact(), opPress(0), opPress(0),
			opPress(0), opPress(1), opSay("Sean O'Brien"), opSay("87017654321"), opSay("Анна-Мария Петрова"), opPress(0),
			opPress(2), opSay("friends10"), opPress(1), opPress(0), opPress(0), opPress(0), opHours(60), opSay("/start")),
		// No hint: the language question, answered by number and label.
		scriptOf(false, 0, opSay("Сәлем! Қалайсыз?"), opNumber(2), opSay("/lang"), opTypeLabel(2), opSay("/start register"),
			opSay("12345"), opPhoto(), opSay("/cancel"), opPress(1), opPress(0)),
		// Fun Starts for two children.
		scriptOf(false, 3, opSay("/start funstarts"), opPress(0), opSay("Oliver Smith"), opContact(), opSay("Ян"), opSay("12.03.2019"),
			opSay("мне нужен психолог"), opPress(0), opSay("none"), opPress(0), opPress(0), opPress(0), opSay("Ян"), opSay("15.05.1990")),
		// The help flow from the middle of a registration, then back.
		scriptOf(false, 2, opSay("/start register"), opSay("Oliver Smith"), opSay("не хочу больше жить"), opPress(0),
			opSay("8 701 123 45 67"), opPress(1), opSay("help me register"), opSay("15.05.1990")),
		// The organizer broadcasts, marks a payment, looks at the status.
		scriptOf(true, 3, opSay("/admin"), opSay("/broadcast"), opPress(0), opPress(0), opSayRaw("See you at the start line! Старт в 9:00"),
			opPress(0), opSay("/broadcast_status"), opSay("/markpaid RFA-AAAA cash")),
		// Buttons from nowhere and old buttons, the same message twice,
		// huge and empty messages.
		scriptOf(false, 1, opPayload("d:42k"), opPayload("r:RFA-AAAA"), opStale(0), opPayload("e:reg.bogus"), opTwice(),
			opSay(strings.Repeat("ә", 5000)), opSay("   "), opSay("/START@rfa_bot"), opSayRaw("\xff\xfe"), opPayload("lang:de"),
			opPress(0), opPayload("w:5k"), opPayload("reg:ok")),
	}
}

// short is the start of a long text, for the log.
func short(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

var snake = regexp.MustCompile(`[a-z][a-z0-9]*(?:_[a-z0-9]+)+`)

// check looks at the replies to message m.
func (fb *fuzzBot) check(t *testing.T, m dialog.Message, replies []dialog.Reply, typed []string) {
	t.Helper()
	if log := fb.log.take(); log != "" {
		t.Fatalf("%+v: the bot logged\n%s", m, log)
	}
	if len(replies) == 0 {
		t.Fatalf("%+v: no reply", m)
	}
	echoes := func(s string) bool {
		for _, in := range typed {
			if strings.Contains(in, s) {
				return true
			}
		}
		return false
	}
	leaked := func(s string) string {
		if s = strings.TrimSpace(s); fb.ids[s] && !echoes(s) {
			return s
		}
		for _, w := range snake.FindAllString(s, -1) {
			first, _, _ := strings.Cut(w, "_")
			if (fb.ids[w] || fb.families[first]) && !echoes(w) {
				return w
			}
		}
		return ""
	}
	for _, r := range replies {
		if strings.TrimSpace(r.Text) == "" || !utf8.ValidString(r.Text) {
			t.Fatalf("%+v: empty or broken reply %q", m, r.Text)
		}
		for _, l := range locales.Languages {
			if strings.Contains(r.Text, fb.cat.T(l, "error_internal", nil)) {
				t.Fatalf("%+v: the bot apologised for an internal error", m)
			}
		}
		if id := leaked(r.Text); id != "" {
			t.Fatalf("%+v: reply shows the message id %q: %q", m, id, r.Text)
		}
		for _, c := range r.Choices {
			if strings.TrimSpace(c.Label) == "" || c.Payload == "" || len(c.Payload) > 64 {
				t.Fatalf("%+v: button %+v: empty, or its payload does not fit Telegram", m, c)
			}
			if id := leaked(c.Label); id != "" {
				t.Fatalf("%+v: button shows the message id %q", m, id)
			}
		}
	}
	err := fb.store.View(context.Background(), func(tx domain.Tx) error {
		u, err := tx.User(m.UserKey())
		if err != nil {
			return err
		}
		if !fb.conv.HasStep(u.Session.Step) {
			return fmt.Errorf("stored step %q is not a step", u.Session.Step)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%+v: %v", m, err)
	}
}

// pay notifies a payment of the user's open order, of the fee or of a
// switch to a dearer distance: paid, failed or refunded.
func (fb *fuzzBot) pay(t *testing.T, key string, status int) {
	t.Helper()
	var orders []domain.Order
	err := fb.store.View(context.Background(), func(tx domain.Tx) error {
		regs, err := tx.Registrations(key)
		if err != nil {
			return err
		}
		for _, r := range regs {
			for _, id := range []string{r.Order, r.UpgradeOrder, fmt.Sprintf("%s-%d", r.Code, max(1, r.Orders))} {
				if o, err := tx.Order(id); err == nil {
					orders = append(orders, o)
				} else if !errors.Is(err, domain.ErrNotFound) {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orders {
		p := domain.Payment{OrderID: o.ID, Amount: o.Amount, Currency: o.Currency,
			Status: []string{domain.PaymentPaid, domain.PaymentFailed, domain.PaymentRefunded}[status]}
		if _, err := fb.conv.ApplyPayment(context.Background(), p); err != nil {
			t.Fatalf("payment %+v: %v", p, err)
		}
	}
}

// invariants checks the database as a whole: the places counted are the
// places held (a registration that holds one, and a pending switch to a
// dearer distance), and no bib of a distance is given twice.
func (fb *fuzzBot) invariants(t *testing.T) {
	t.Helper()
	type place struct {
		distance string
		mode     event.Mode
	}
	held := map[place]int{}
	bibs := map[string]string{}
	err := fb.store.View(context.Background(), func(tx domain.Tx) error {
		err := tx.EachRegistration(func(r domain.Registration) error {
			if r.Status.HoldsPlace() {
				held[place{r.Distance, r.Mode}]++
			}
			if r.UpgradeTo != "" {
				held[place{r.UpgradeTo, r.Mode}]++
			}
			if r.Bib > 0 {
				k := fmt.Sprintf("%s#%d", r.Distance, r.Bib)
				if other, dup := bibs[k]; dup {
					return fmt.Errorf("bib %s given to %s and %s", k, other, r.Code)
				}
				bibs[k] = r.Code
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, d := range fb.ev.Distances {
			for _, m := range []event.Mode{event.InPerson, event.Online} {
				n, err := tx.PlacesTaken(d.ID, m)
				if err != nil {
					return err
				}
				if n != held[place{d.ID, m}] {
					return fmt.Errorf("%s %s: %d places counted, %d held", d.ID, m, n, held[place{d.ID, m}])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
