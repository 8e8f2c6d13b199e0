package flows_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"image/png"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"rsc.io/qr"

	"github.com/runforautism/rfabot/bot/bottest"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

// organizers is a bot with one organizer, "org", and one participant,
// "u", whose registration for 5 km awaits payment; a parent, "p", has
// signed up a child for Fun Starts with notes on her needs.
func organizers(t *testing.T, edit func(*event.Config)) (h *harness, org *user, reg domain.Registration) {
	t.Helper()
	h = newHarnessWith(t, edit, func(h *harness) { h.admins = []string{"test:org"} })
	reg = register(h.user("u", "en"), "5 km")
	h.user("p", "en").do(with(toFunChild(), with(child("Alua", "01.06.2018", "non-verbal, needs a companion", "128"), action{tap: "I agree"})...))
	org = h.user("org", "en")
	org.do([]action{{say: "/start"}})
	return h, org, reg
}

// handleAll sends text as u and returns every reply, files included.
func (u *user) handleAll(text string) []dialog.Reply {
	u.h.t.Helper()
	replies := bottest.Handle(context.Background(), u.h.engine, dialog.Message{Channel: "test", UserID: u.id, LangHint: u.hint, Text: text})
	if len(replies) == 0 {
		u.h.t.Fatalf("%s: no reply to %q", u.id, text)
	}
	u.last = replies[len(replies)-1]
	return replies
}

func (h *harness) audit() []domain.AuditEntry {
	h.t.Helper()
	log, err := h.store.AuditLog()
	if err != nil {
		h.t.Fatal(err)
	}
	return log
}

// snapshot is everything an organizer's command could change.
type snapshot struct {
	regs   []domain.Registration
	audit  []domain.AuditEntry
	pushes map[string][]domain.Push
	places int
}

func (h *harness) snapshot(users ...string) snapshot {
	h.t.Helper()
	s := snapshot{audit: h.audit(), pushes: map[string][]domain.Push{}, places: h.places("5k", event.InPerson)}
	regs, err := h.conv.Search(context.Background(), "")
	if err != nil {
		h.t.Fatal(err)
	}
	s.regs = regs
	for _, u := range users {
		s.pushes[u] = h.pushes(u)
	}
	return s
}

// Every admin command, as /admin lists it, is refused to anyone else
// with the ordinary "unknown command" answer: nothing changes and
// nothing of the data shows.
func TestAdminCommandsRefusedToOthers(t *testing.T) {
	h, org, reg := organizers(t, nil)
	org.do([]action{{say: "/admin"}})
	list, ok := strings.CutPrefix(org.last.Text, "Organizer commands:\n")
	if !ok {
		t.Fatalf("/admin: %q", org.last.Text)
	}
	list, _, _ = strings.Cut(list, "\n\n")
	var cmds []string
	for _, l := range strings.Split(list, "\n") {
		cmd, _, _ := strings.Cut(l, " ")
		cmds = append(cmds, strings.TrimSuffix(cmd, ","))
	}
	cmds = append(cmds, "/admin")
	for _, want := range []string{"/stats", "/find", "/markpaid", "/cancelreg", "/checkin", "/export", "/broadcast", "/broadcast_status", "/import", "/review"} {
		if !strings.Contains(list, want) {
			t.Errorf("/admin does not list %s: %q", want, list)
		}
	}
	runner := h.user("runner", "en")
	runner.do([]action{{say: "/start"}})
	before := h.snapshot("u", "p", "runner")
	secrets := []string{reg.Code, "Aigerim", "701", "Alua", "non-verbal", "Dana", "5 km", "8,990", "Registrations"}
	for _, cmd := range cmds {
		for _, arg := range []string{"", " " + reg.Code + " cash at the desk", " Aigerim", " funstarts"} {
			replies := runner.handleAll(cmd + arg)
			if len(replies) != 1 || replies[0].Document != nil {
				t.Errorf("%s%s: %d replies, a file: %v", cmd, arg, len(replies), replies[0].Document != nil)
			}
			text := replies[0].Text + strings.Join(labels(replies[0]), " ")
			if !strings.Contains(text, "I don't know that command") {
				t.Errorf("%s%s: %q", cmd, arg, text)
			}
			for _, s := range secrets {
				if strings.Contains(text, s) {
					t.Errorf("%s%s shows %q to a participant: %q", cmd, arg, s, text)
				}
			}
			if got := runner.state().Session.Step; got != flows.StepMenu {
				t.Errorf("%s%s moved the participant to %s", cmd, arg, got)
			}
		}
	}
	if after := h.snapshot("u", "p", "runner"); !reflect.DeepEqual(before, after) {
		t.Errorf("refused commands changed something:\nbefore %+v\nafter  %+v", before, after)
	}
}

func TestStatsAndFind(t *testing.T) {
	h, org, reg := organizers(t, nil)
	v := register(h.user("v", "en"), "10 km")
	h.pay(v.Order, "paid")
	h.user("w", "kk").do([]action{{say: "/start"}, {say: "мен өмір сүргім келмейді"}})
	org.do([]action{{say: "/stats",
		want: "Registrations: 2 (paid 1, awaiting payment 1)\n" +
			"1 km, in person: 0 of 800 places taken, 800 left · paid 0, awaiting payment 0, waitlist 0\n" +
			"1 km, online: 0 of 1000 places taken, 1000 left · paid 0, awaiting payment 0, waitlist 0\n"}})
	for _, w := range []string{
		"5 km, in person: 1 of 1000 places taken, 999 left · paid 0, awaiting payment 1, waitlist 0",
		"10 km, in person: 1 of 700 places taken, 699 left · paid 1, awaiting payment 0, waitlist 0",
		"Languages: English 2 · messengers: test 2",
		"Money received: 9,990\u00a0₸ · to return: 0\u00a0₸",
		"Race day: kits handed out 0, checked in 0, of 1 paid in person",
		"Fun Starts children: 1 (confirmed 1); places left: 199 of 200",
		"Help flow: crisis answers 1, support answers 0",
	} {
		if !strings.Contains(org.last.Text, w) {
			t.Errorf("/stats lacks %q:\n%s", w, org.last.Text)
		}
	}
	org.do([]action{
		{say: "/find", want: "Usage: /find"},
		{say: "/find nobody", want: "Nothing found."},
		{say: "/find " + strings.ToLower(reg.Code[4:]), want: "Found 1:\n\n" + reg.Code + " · Aigerim Nurlanova · 5 km, in person · awaiting payment · +7 701 234 56 78"},
		{say: "/find 8 701 234 56 78", want: "Found 3:"},
		{say: "/find 5678", want: "Found 3:"},
		{say: "/find aigerim nurlanova", want: "Found 2:"},
		{say: "/find 1", want: v.Code + " · Aigerim Nurlanova · 10 km, in person · paid · +7 701 234 56 78 · Bib: 1"},
		{say: "/find alua", want: "Fun Starts: Alua (parent Dana Serikova, +7 701 234 56 78) · confirmed", not: "non-verbal"},
	})
}

func TestCancelRegistrationReleasesThePlaceOnce(t *testing.T) {
	h, org, reg := organizers(t, func(ev *event.Config) { ev.Distances[2].Capacity = 1 })
	w := h.user("w", "en")
	steps := toSummary()
	w.do(steps[:7])
	w.do([]action{{tap: "waitlist"}})
	w.do(steps[8:])
	w.do([]action{{tap: "Confirm", want: "on the waitlist"}})
	waiting := w.registrations()[0]
	org.do([]action{
		{say: "/cancelreg " + reg.Code, want: "Usage: /cancelreg CODE reason"},
		{say: "/cancelreg RFA-ZZZZ double", want: "There is no registration RFA-ZZZZ."},
		{say: "/cancelreg " + reg.Code + " duplicate registration", want: reg.Code + " (Aigerim Nurlanova, 5 km) is cancelled and its place is free for the waitlist."},
		{say: "/cancelreg " + reg.Code + " again", want: reg.Code + " is cancelled already."},
	})
	if got := h.reg(reg.Code); got.Status != domain.StatusCancelled || h.order(reg.Order).Status != domain.OrderVoid {
		t.Fatalf("cancelled: %+v, order %+v", got, h.order(reg.Order))
	}
	// The place went to the waitlist, once: the next in line holds it.
	if got := h.reg(waiting.Code); got.Status != domain.StatusAwaitingPayment || !got.Offered {
		t.Errorf("waitlist after the cancel: %+v", got)
	}
	if n := h.places("5k", event.InPerson); n != 1 {
		t.Errorf("places = %d, want 1 (the offer)", n)
	}
	ps := h.pushes("u")
	if len(ps) != 1 || ps[0].Kind != "cancel" || !strings.Contains(ps[0].Reply.Text, "The organizers have cancelled registration "+reg.Code) {
		t.Errorf("participant told:\n%s", pushTexts(ps))
	}
	// A lapsed registration holds no place: nothing to cancel.
	h.setNow(testNow.Add(100 * time.Hour))
	h.tick()
	org.do([]action{{say: "/cancelreg " + waiting.Code + " no", want: "cannot be cancelled: it is not paid in time, place released"}})
	log := h.audit()
	if len(log) != 1 || log[0].Action != "cancelreg" || log[0].Admin != "test:org" || log[0].Record != reg.Code || log[0].Detail != "duplicate registration" {
		t.Errorf("audit log %+v", log)
	}
}

// TestPaidAfterAnOrganizersCancel: money for a registration an
// organizer cancelled is recorded as owed back and written to the
// audit log; the registration stays cancelled, with no bib and no
// place, and the participant is told the money will be returned.
func TestPaidAfterAnOrganizersCancel(t *testing.T) {
	h, org, reg := organizers(t, nil)
	org.do([]action{{say: "/cancelreg " + reg.Code + " duplicate", want: "is cancelled"}})
	places := h.places("5k", event.InPerson)
	if got := h.pay(reg.Order, "paid"); got != domain.PaymentApplied {
		t.Fatalf("paid after the cancel: %v", got)
	}
	if got := h.pay(reg.Order, "paid"); got != domain.PaymentNoChange {
		t.Errorf("the same payment again: %v", got)
	}
	got := h.reg(reg.Code)
	if got.Status != domain.StatusCancelled || got.Bib != 0 || got.RefundDue != reg.Fee || h.places("5k", event.InPerson) != places {
		t.Errorf("after a payment after the cancel: %+v, places %d (was %d)", got, h.places("5k", event.InPerson), places)
	}
	if a := h.auditOf(reg.Code, "refund_due"); len(a) != 1 || a[0].Admin != "payments" || !strings.Contains(a[0].Detail, "registration cancelled") {
		t.Errorf("audit: %+v", a)
	}
	ps := h.pushes("u")
	if last := ps[len(ps)-1]; !strings.Contains(last.Reply.Text, "nothing was due for it. The organizers will return") {
		t.Errorf("participant told:\n%s", pushTexts(ps))
	}
}

// /cancelreg takes a Fun Starts child's code too: the place goes back.
func TestCancelAFunStartsChild(t *testing.T) {
	h, org, _ := organizers(t, nil)
	kid := h.user("p", "en").children()[0]
	places := func() int {
		var n int
		h.store.View(context.Background(), func(tx domain.Tx) error { n, _ = tx.PlacesTaken(domain.FunStartsPlaces, event.InPerson); return nil })
		return n
	}
	if places() != 1 {
		t.Fatalf("places = %d", places())
	}
	org.do([]action{
		{say: "/cancelreg " + kid.Code, want: "Usage: /cancelreg"},
		{say: "/cancelreg " + kid.Code + " parent asked", want: kid.Code + " (Alua, Fun Starts) is cancelled and the place is free again."},
		{say: "/cancelreg " + kid.Code + " again", want: kid.Code + " is cancelled already."},
		{say: "/stats", want: "Fun Starts children: 1 (cancelled 1); places left: 200 of 200"},
	})
	if got := h.user("p", "en").children()[0]; got.Status != domain.StatusCancelled || places() != 0 {
		t.Errorf("child %+v, places %d", got, places())
	}
	ps := h.pushes("p")
	if len(ps) != 1 || ps[0].Kind != "cancel" || !strings.Contains(ps[0].Reply.Text, "cancelled the Fun Starts sign-up of Alua") {
		t.Errorf("parent told:\n%s", pushTexts(ps))
	}
	if log := h.audit(); len(log) != 1 || log[0].Record != kid.Code || log[0].Detail != "parent asked" {
		t.Errorf("audit %+v", log)
	}
}

// The dashboard runs the same operations as the chat, named by the
// organizer who logged in.
func TestOperationsFromTheDashboard(t *testing.T) {
	h, org, reg := organizers(t, nil)
	ctx := context.Background()
	admin := "dashboard:Aigul"
	if _, err := h.conv.MarkPaid(ctx, admin, reg.Code, ""); !errors.Is(err, domain.ErrReasonNeeded) {
		t.Errorf("no reason: %v", err)
	}
	if _, err := h.conv.MarkPaid(ctx, admin, "RFA-ZZZZ", "cash"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("unknown code: %v", err)
	}
	if _, err := h.conv.CheckIn(ctx, admin, reg.Code, domain.DeskKit); !errors.Is(err, domain.ErrWrongStatus) {
		t.Errorf("kit before payment: %v", err)
	}
	r, err := h.conv.MarkPaid(ctx, admin, strings.ToLower(reg.Code), "cash at the kit desk")
	if err != nil || r.Status != domain.StatusPaid || r.Bib != 1000 {
		t.Fatalf("mark paid: %+v, %v", r, err)
	}
	if _, err := h.conv.MarkPaid(ctx, admin, reg.Code, "again"); !errors.Is(err, domain.ErrAlreadyDone) {
		t.Errorf("twice: %v", err)
	}
	if ps := h.pushes("u"); len(ps) != 1 || !strings.Contains(ps[0].Reply.Text, "Payment received") {
		t.Errorf("confirmation:\n%s", pushTexts(ps))
	}
	h.setNow(testNow.Add(time.Hour))
	for _, step := range []domain.Desk{domain.DeskKit, domain.DeskCheckIn} {
		if _, err := h.conv.CheckIn(ctx, admin, reg.Code, step); err != nil {
			t.Fatal(err)
		}
		if _, err := h.conv.CheckIn(ctx, "dashboard:Other", reg.Code, step); !errors.Is(err, domain.ErrAlreadyDone) {
			t.Errorf("%s twice: %v", step, err)
		}
	}
	got := h.reg(reg.Code)
	if !got.KitCollectedAt.Equal(testNow.Add(time.Hour)) || got.KitCollectedBy != admin || got.CheckedInBy != admin || got.CheckedInAt.IsZero() {
		t.Errorf("desk: %+v", got)
	}
	org.do([]action{{say: "/stats", want: "Race day: kits handed out 1, checked in 1, of 1 paid in person"}})
	rec, err := h.conv.Record(ctx, reg.Code)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range rec.Audit {
		actions = append(actions, e.Admin+" "+e.Action+" "+e.Detail)
	}
	want := []string{admin + " markpaid cash at the kit desk", admin + " kit ", admin + " checkin "}
	if !reflect.DeepEqual(actions, want) || len(rec.Orders) != 1 || rec.Orders[0].Status != domain.OrderVoid || rec.Channel != "test" {
		t.Errorf("record: audit %q, orders %+v, channel %q", actions, rec.Orders, rec.Channel)
	}
	r, err = h.conv.CancelRegistration(ctx, admin, reg.Code, "asked by phone")
	if err != nil || r.Status != domain.StatusCancelled || r.PaidAmount != 8990 {
		t.Fatalf("cancel a paid registration: %+v, %v", r, err)
	}
	if n := h.places("5k", event.InPerson); n != 0 {
		t.Errorf("places = %d after the cancel", n)
	}
}

// The dashboard's child page runs what /markpaid and /cancelreg do
// with a child's code, named by the organizer who logged in, and shows
// the sign-up with its orders and history.
func TestChildOperationsFromTheDashboard(t *testing.T) {
	h, _, _ := organizers(t, withFunFee)
	ctx := context.Background()
	admin := "dashboard:Aigul"
	kid := h.user("p", "en").children()[0]
	if kid.Status != domain.StatusAwaitingPayment {
		t.Fatalf("child %+v", kid)
	}
	if _, err := h.conv.MarkPaid(ctx, admin, kid.Code, " "); !errors.Is(err, domain.ErrReasonNeeded) {
		t.Errorf("no reason: %v", err)
	}
	if _, err := h.conv.MarkPaid(ctx, admin, "RFA-FS-ZZZZ", "cash"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("unknown code: %v", err)
	}
	c, err := h.conv.MarkPaid(ctx, admin, strings.ToLower(kid.Code), "cash at the desk")
	if err != nil || c.Status != domain.StatusConfirmed || c.PaidAmount != funFee {
		t.Fatalf("mark paid: %+v, %v", c, err)
	}
	if _, err := h.conv.MarkPaid(ctx, admin, kid.Code, "again"); !errors.Is(err, domain.ErrAlreadyDone) {
		t.Errorf("twice: %v", err)
	}
	if ps := h.pushes("p"); len(ps) != 1 || !strings.Contains(ps[0].Reply.Text, "Alua is signed up for Fun Starts") {
		t.Errorf("parent told:\n%s", pushTexts(ps))
	}
	c, err = h.conv.CancelRegistration(ctx, admin, kid.Code, "parent asked")
	if err != nil || c.Status != domain.StatusCancelled || c.PaidAmount != funFee || h.funTaken() != 0 {
		t.Fatalf("cancel: %+v, %v, places %d", c, err, h.funTaken())
	}
	if _, err := h.conv.CancelRegistration(ctx, admin, kid.Code, "again"); !errors.Is(err, domain.ErrAlreadyDone) {
		t.Errorf("cancel twice: %v", err)
	}
	if _, err := h.conv.MarkPaid(ctx, admin, kid.Code, "cash"); !errors.Is(err, domain.ErrWrongStatus) {
		t.Errorf("mark a cancelled child paid: %v", err)
	}
	rec, err := h.conv.Record(ctx, strings.ToLower(kid.Code))
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range rec.Audit {
		actions = append(actions, e.Admin+" "+e.Action+" "+e.Detail)
	}
	want := []string{admin + " markpaid cash at the desk", admin + " cancelreg parent asked"}
	if !reflect.DeepEqual(actions, want) || len(rec.Orders) != 1 || rec.Orders[0].Status != domain.OrderVoid ||
		rec.Channel != "test" || rec.Registration.SupportNeeds != "non-verbal, needs a companion" {
		t.Errorf("record: audit %q, orders %+v, channel %q, child %+v", actions, rec.Orders, rec.Channel, rec.Registration)
	}
	if _, err := h.conv.Record(ctx, "RFA-FS-ZZZZ"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("unknown child: %v", err)
	}
}

// readCSV reads an export back as Excel would: it must start with the
// UTF-8 byte-order mark.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rest, ok := bytes.CutPrefix(b, []byte("\xEF\xBB\xBF"))
	if !ok {
		t.Fatalf("no UTF-8 byte-order mark: %q", b[:min(len(b), 10)])
	}
	rows, err := csv.NewReader(bytes.NewReader(rest)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func column(rows [][]string, name string) []string {
	i := -1
	for j, c := range rows[0] {
		if c == name {
			i = j
		}
	}
	var out []string
	for _, r := range rows[1:] {
		if i >= 0 {
			out = append(out, r[i])
		}
	}
	return out
}

func TestExports(t *testing.T) {
	h, org, reg := organizers(t, nil)
	kk := h.user("kk", "kk")
	kk.do([]action{{say: "/start"}})
	for _, m := range []dialog.Message{
		{Payload: "m:reg"}, {Text: "Әсел Қайратқызы"}, {Text: "01.02.1995"}, {Payload: "g:female"}, {Text: "87011234567"},
		{Payload: "mode:inperson"}, {Payload: "d:10k"}, {Payload: "cat:general"}, {Payload: "size:M"},
		{Text: "Қайрат Әбенов"}, {Text: "87017654321"}, {Payload: "agree"}, {Payload: "reg:ok"},
	} {
		kk.send(m)
	}
	kr := kk.registrations()[0]
	h.pay(kr.Order, "paid")
	// A name cannot hold a formula, but the notes on a child can.
	h.user("p", "en").do([]action{{say: "/menu"}, {tap: "Fun Starts"}, {tap: "Sign up a child"}})
	h.user("p", "en").do(with(child("Dias", "02.02.2016", "=HYPERLINK(\"http://x\")", "128"), action{tap: "I agree"}))

	var b bytes.Buffer
	if err := h.conv.Export(context.Background(), "cli", flows.ExportFile{Kind: flows.ExportRegistrations}, &b); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, b.Bytes())
	wantHead := "code,status,name,birth_date,gender,phone,mode,distance,distance_km,category,tshirt,emergency_name,emergency_phone,guardian,fee,promo,discount,paid_amount,refund_due,currency,bib,created_at,consent_at,paid_at,kit_collected_at,checked_in_at,language,channel,payment_provider,transaction_id,payment_test"
	if strings.Join(rows[0], ",") != wantHead || len(rows) != 3 {
		t.Fatalf("registrations.csv: %q", rows)
	}
	byCode := map[string][]string{}
	for _, r := range rows[1:] {
		byCode[r[0]] = r
	}
	got := strings.Join(byCode[kr.Code], "|")
	want := kr.Code + "|paid|Әсел Қайратқызы|1995-02-01|female|+77011234567|inperson|10k|10|general|M|Қайрат Әбенов|+77017654321||9990|||9990||KZT|1|2027-01-15 15:00|2027-01-15 15:00|2027-01-15 15:00|||kk|test||ref-" + kr.Order + "|"
	if got != want {
		t.Errorf("Kazakh row\n got %s\nwant %s", got, want)
	}
	if r := byCode[reg.Code]; r[1] != "awaiting_payment" || r[2] != "Aigerim Nurlanova" || r[20] != "" || r[23] != "" {
		t.Errorf("unpaid row %q", r)
	}

	b.Reset()
	if err := h.conv.Export(context.Background(), "cli", flows.ExportFile{Kind: flows.ExportFunStarts}, &b); err != nil {
		t.Fatal(err)
	}
	rows = readCSV(t, b.Bytes())
	if strings.Join(rows[0], ",") != "code,status,child_name,birth_date,tshirt,support_needs,parent_name,parent_phone,fee,paid_amount,refund_due,currency,created_at,consent_at,paid_at,language,channel,payment_provider,transaction_id,payment_test" {
		t.Errorf("funstarts.csv header %q", rows[0])
	}
	notes := column(rows, "support_needs")
	if len(notes) != 2 || !contains(notes, "non-verbal, needs a companion") || !contains(notes, "'=HYPERLINK(\"http://x\")") {
		t.Errorf("notes %q: want the notes, a formula shown as text", notes)
	}

	b.Reset()
	if err := h.conv.Export(context.Background(), "cli", flows.ExportFile{Kind: flows.ExportBibs}, &b); err != nil {
		t.Fatal(err)
	}
	rows = readCSV(t, b.Bytes())
	if !reflect.DeepEqual(rows, [][]string{{"bib", "name", "gender", "birth_year", "distance"}, {"1", "Әсел Қайратқызы", "female", "1995", "10k"}}) {
		t.Errorf("bibs.csv %q", rows)
	}

	// /export sends the file as a document, then the question.
	replies := org.handleAll("/export")
	if len(replies) != 2 || replies[0].Document == nil || replies[1].Document != nil {
		t.Fatalf("/export: %+v", replies)
	}
	d := replies[0].Document
	if d.MIME != "text/csv" || d.Name != "registrations-2027-01-15-1500.csv" || !strings.Contains(replies[0].Text, "All registrations") {
		t.Errorf("document %q %q, caption %q", d.Name, d.MIME, replies[0].Text)
	}
	if rows := readCSV(t, d.Data); len(rows) != 3 || !strings.Contains(strings.Join(rows[1], ",")+strings.Join(rows[2], ","), "Әсел Қайратқызы") {
		t.Errorf("/export rows %q", rows)
	}
	replies = org.handleAll("/export bibs")
	if len(replies) != 2 || !strings.HasPrefix(replies[0].Document.Name, "bibs-") {
		t.Errorf("/export bibs: %+v", replies)
	}
	org.do([]action{{say: "/export everything", want: "Usage: /export, /export funstarts or /export bibs"}})
	var exports []string
	for _, e := range h.audit() {
		if e.Action == "export" {
			exports = append(exports, e.Admin+" "+e.Record)
		}
	}
	if !reflect.DeepEqual(exports, []string{"cli registrations", "cli funstarts", "cli bibs", "test:org registrations", "test:org bibs"}) {
		t.Errorf("exports audited: %q", exports)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestSearch(t *testing.T) {
	h := newHarness(t, nil)
	h.participant("a", "ru", domain.Registration{Code: "RFA-7K2Q", Name: "Пётр Ёлкин", Phone: "+77012345678", Bib: 1042,
		Status: domain.StatusPaid}, nil)
	h.participant("b", "ru", domain.Registration{Code: "RFA-AAAA", Name: "Анна Петрова", Phone: "+77019990000",
		Status: domain.StatusAwaitingPayment}, nil)
	for q, want := range map[string]string{
		"": "RFA-7K2Q RFA-AAAA", "7k2q": "RFA-7K2Q", "RFA-7K2Q": "RFA-7K2Q", "rfa": "RFA-7K2Q RFA-AAAA", "1042": "RFA-7K2Q",
		"104": "", "5678": "RFA-7K2Q", "8 701 234 56 78": "RFA-7K2Q", "+7 (701) 234-56-78": "RFA-7K2Q", "678": "",
		"петр": "RFA-7K2Q RFA-AAAA", "ЁЛКИН": "RFA-7K2Q", "пётр  ёлкин": "RFA-7K2Q", "иван": "",
	} {
		regs, err := h.conv.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range regs {
			got = append(got, r.Code)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("Search(%q) = %q, want %q", q, got, want)
		}
	}
}

// A paid registration in person offers a QR code of its check-in page
// in My registrations; the PNG holds exactly that URL.
func TestCheckinQRCode(t *testing.T) {
	h := newHarnessWith(t, nil, func(h *harness) { h.dashboardURL = "https://bot.example.kz/admin" })
	u := h.user("u", "en")
	r := register(u, "5 km")
	u.do([]action{{say: "/menu"}, {tap: "My registrations"}, {tap: r.Code, not: "QR code"}})
	h.pay(r.Order, "paid")
	u.do([]action{{say: "/menu"}, {tap: "My registrations"}, {tap: r.Code, want: "QR code for check-in"}})
	c, _ := findChoice(u.last, "QR code")
	replies := bottest.Handle(context.Background(), h.engine, dialog.Message{Channel: "test", UserID: "u", Payload: c.Payload})
	if len(replies) != 2 || replies[0].Document == nil || u.state().Session.Step != flows.StepMyReg {
		t.Fatalf("QR: %+v", replies)
	}
	d := replies[0].Document
	if d.MIME != "image/png" || d.Name != "checkin-"+r.Code+".png" || !strings.Contains(replies[0].Text, "Aigerim Nurlanova, "+r.Code+", bib 1000") {
		t.Errorf("QR document %q %q, caption %q", d.Name, d.MIME, replies[0].Text)
	}
	img, err := png.Decode(bytes.NewReader(d.Data))
	if err != nil {
		t.Fatal(err)
	}
	want, err := qr.Encode("https://bot.example.kz/admin/checkin/"+r.Code, qr.M)
	if err != nil {
		t.Fatal(err)
	}
	// Read the modules back from the pixels: 8 pixels a module, after a
	// 4-module white border.
	const scale, border = 8, 4
	if img.Bounds().Dx() != (want.Size+2*border)*scale {
		t.Fatalf("image %v for a %d-module code", img.Bounds(), want.Size)
	}
	for y := range want.Size {
		for x := range want.Size {
			cr, _, _, _ := img.At((x+border)*scale+scale/2, (y+border)*scale+scale/2).RGBA()
			if black := cr < 0x8000; black != want.Black(x, y) {
				t.Fatalf("module (%d,%d): black %v, want %v", x, y, black, want.Black(x, y))
			}
		}
	}
	// Without the dashboard there is no QR code.
	plain := newHarness(t, nil)
	v := plain.user("v", "en")
	rv := register(v, "5 km")
	plain.pay(rv.Order, "paid")
	v.do([]action{{say: "/menu"}, {tap: "My registrations"}, {tap: rv.Code, not: "QR code"}})
	if _, ok := findChoice(v.last, "QR"); ok {
		t.Error("QR offered without a dashboard")
	}
	replies = bottest.Handle(context.Background(), plain.engine, dialog.Message{Channel: "test", UserID: "v", Payload: c.Payload})
	if len(replies) != 1 || replies[0].Document != nil {
		t.Errorf("QR sent without a dashboard: %+v", replies)
	}
}

// BenchmarkSearchAndStats measures what every dashboard page does at the
// event's size: 3,500 registrations read for a search and for the
// figures.
func BenchmarkSearchAndStats(b *testing.B) {
	h := newHarness(b, nil)
	err := h.store.Update(context.Background(), func(tx domain.Tx) error {
		for i := range 3500 {
			r := domain.Registration{Code: "RFA-" + itoa(i), UserKey: "test:u" + itoa(i),
				Lang: "ru", Name: "Участник " + itoa(i), Phone: "+7701" + itoa(1000000+i), Mode: event.InPerson, Distance: "5k",
				Status: domain.StatusPaid, Bib: 1000 + i, Fee: 8990, PaidAmount: 8990, CreatedAt: testNow}
			if err := tx.AddRegistration(&r, 10000); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if regs, err := h.conv.Search(ctx, "1042"); err != nil || len(regs) == 0 {
			b.Fatal(err, len(regs))
		}
		if s, err := h.conv.Stats(ctx); err != nil || s.Total != 3500 {
			b.Fatal(err, s.Total)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
