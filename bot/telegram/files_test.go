package telegram_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/bot/telegram"
	"github.com/runforautism/rfabot/bot/telegram/tgfake"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/flows"
)

// seed stores p as a user on the menu in lang with registration r
// made from their account.
func (e *env) seed(p *person, lang string, r domain.Registration) {
	e.t.Helper()
	u := domain.User{Key: p.key(), Channel: telegram.Channel, ID: strconv.FormatInt(p.u.ID, 10), Lang: lang,
		CreatedAt: testNow, Session: domain.Session{Step: flows.StepMenu}}
	r.UserKey, r.Lang, r.Fee, r.Currency, r.CreatedAt = u.Key, lang, 8990, "KZT", testNow
	if r.Mode == "" {
		r.Mode = event.InPerson
	}
	if r.Distance == "" {
		r.Distance = "5k"
	}
	err := e.store.Update(context.Background(), func(tx domain.Tx) error {
		if err := tx.PutUser(&u); err != nil {
			return err
		}
		return tx.AddRegistration(&r, 1000)
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// file is what storage keeps under key (flows' files bucket), nil when
// nothing.
func (e *env) file(key string) []byte {
	e.t.Helper()
	var b []byte
	err := e.store.View(context.Background(), func(tx domain.Tx) error {
		var err error
		b, err = tx.File(key)
		return err
	})
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		e.t.Fatal(err)
	}
	return b
}

// picture is a JPEG or PNG of w×h pixels, as a phone's screenshot.
func picture(t *testing.T, w, h int, asPNG bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{R: uint8(x), G: uint8(y), B: 90, A: 255})
		}
	}
	var b bytes.Buffer
	var err error
	if asPNG {
		err = png.Encode(&b, img)
	} else {
		err = jpeg.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var bom = []byte("\xEF\xBB\xBF")

// An organizer's /export arrives as a document after its caption, with
// the CSV's bytes as flows wrote them: the byte-order mark and Kazakh
// letters intact. A 500 on the upload is retried.
func TestExportArrivesAsDocument(t *testing.T) {
	e := newEnv(t)
	e.admins = []string{"telegram:7001"}
	e.start()
	e.seed(e.person(7002, "kk"), "kk", domain.Registration{Code: "RFA-KZ01", Name: "Әсел Қайратқызы", Birth: "1995-02-01",
		Status: domain.StatusPaid, Bib: 1001})
	org := e.person(7001, "kk")
	org.say("/start")
	org.expect(e.part("kk", "menu_ask"))
	e.tg.Fail("sendDocument", 1, tgfake.Failure{Code: 500})
	org.say("/export")
	msgs := org.expect(e.T("kk", "admin_export_registrations"), "", e.part("kk", "menu_ask"))
	d := msgs[1].Document
	if d == nil || d.Photo || msgs[1].Text != "" || !strings.HasPrefix(d.FileName, "registrations-") || !strings.HasSuffix(d.FileName, ".csv") {
		t.Fatalf("second message %+v, want the CSV as a document; chat:\n%s", msgs[1], org.transcript())
	}
	var want bytes.Buffer
	if err := e.conv.Export(t.Context(), "cli", flows.ExportFile{Kind: flows.ExportRegistrations}, &want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Data, want.Bytes()) || !bytes.HasPrefix(d.Data, bom) || !strings.Contains(string(d.Data), "RFA-KZ01,paid,Әсел Қайратқызы,") {
		t.Errorf("document holds %q, want the export %q", d.Data, want.Bytes())
	}
	calls := e.tg.Calls("sendDocument")
	if len(calls) != 2 || calls[0].Status != 500 || calls[1].Status != 200 || calls[1].ChatID() != org.u.ID ||
		calls[1].Params.Get("document.filename") != d.FileName {
		t.Errorf("sendDocument calls %+v", calls)
	}
	if n := len(e.tg.Calls("sendPhoto")); n != 0 {
		t.Errorf("a CSV went as a photo %d times", n)
	}
}

// A paid registration's check-in QR code arrives as a photo, after the
// caption and before the registration's screen.
func TestCheckinQRArrivesAsPhoto(t *testing.T) {
	e := newEnv(t)
	e.dashboardURL = "https://bot.example.kz/admin"
	e.start()
	p := e.person(7101, "ru")
	e.seed(p, "ru", domain.Registration{Code: "RFA-QR01", Name: "Айгерим Нурланова", Birth: "1990-05-15", Status: domain.StatusPaid, Bib: 1042})
	p.say("/menu")
	p.expect(e.part("ru", "menu_ask"))
	p.tap(e.T("ru", "menu_mine"))
	p.expect("RFA-QR01")
	p.tap("RFA-QR01")
	if _, ok := p.expect("RFA-QR01")[0].Button(e.T("ru", "my_checkin_qr")); !ok {
		t.Fatalf("no QR button; chat:\n%s", p.transcript())
	}
	p.tap(e.T("ru", "my_checkin_qr"))
	msgs := p.expect(e.part("ru", "my_checkin_qr_caption"), "", "RFA-QR01")
	d := msgs[1].Document
	if d == nil || !d.Photo || d.FileName != "checkin-RFA-QR01.png" {
		t.Fatalf("second message %+v, want the QR code as a photo; chat:\n%s", msgs[1], p.transcript())
	}
	img, err := png.Decode(bytes.NewReader(d.Data))
	if err != nil || img.Bounds().Dx() < 200 || img.Bounds().Dx() != img.Bounds().Dy() {
		t.Errorf("the photo is no QR code picture: %v %v", err, img)
	}
	if msgs[2].Inline == nil {
		t.Errorf("the registration's screen after the photo has no buttons: %+v", msgs[2])
	}
	if calls := e.tg.Calls("sendPhoto"); len(calls) != 1 || calls[0].Params.Get("photo.filename") != "checkin-RFA-QR01.png" {
		t.Errorf("sendPhoto calls %+v", calls)
	}
}

// An organizer sends the results CSV as a document and gets the dry
// run; getFile's 500 and a dropped download are retried; Apply applies
// what was downloaded.
func TestResultsFileFromTheChat(t *testing.T) {
	e := newEnv(t)
	e.admins = []string{"telegram:7201"}
	e.start()
	e.seed(e.person(7202, "ru"), "ru", domain.Registration{Code: "RFA-RES1", Name: "Данияр Ахметов", Birth: "1988-03-03",
		Gender: "male", Status: domain.StatusPaid, Bib: 1001})
	org := e.person(7201, "en")
	org.say("/start")
	org.expect(e.part("en", "menu_ask"))
	e.tg.Fail("getFile", 1, tgfake.Failure{Code: 500})
	e.tg.Fail(tgfake.FileDownload, 1, tgfake.Failure{Drop: true})
	csv := append(append([]byte{}, bom...), "Номер;Время;Статус\r\n1001;0:24:20;\r\n"...)
	e.tg.Document(org.u, "", tgfake.File{Name: "итоги.csv", MIME: "text/csv", Data: csv})
	report := org.expect("Results file: итоги.csv")[0]
	if !strings.Contains(report.Text, "Rows: 1. New results: 1, changed: 0, unchanged: 0, with problems: 0.") {
		t.Errorf("dry run:\n%s", report.Text)
	}
	if _, ok := report.Button(e.T("en", "import_apply")); !ok {
		t.Fatalf("no Apply on %q %q", report.Text, report.Buttons())
	}
	if got := e.user(org.key()).Session.Step; got != flows.StepImport {
		t.Errorf("after the file at %q, want the import", got)
	}
	if got := e.file("import:" + org.key()); !bytes.Equal(got, csv) {
		t.Errorf("kept %q, want the file sent %q", got, csv)
	}
	if calls := e.tg.Calls("getFile"); len(calls) != 2 || calls[1].Status != 200 {
		t.Errorf("getFile calls %+v", calls)
	}
	if got := e.tg.Downloads(); len(got) != 2 || got[0] != got[1] || !strings.HasPrefix(got[0], "documents/") {
		t.Errorf("downloads %q, want one retried", got)
	}
	org.tap(e.T("en", "import_apply"))
	org.expect("Applied: 1 new and 0 changed results.")
	var res domain.Result
	err := e.store.View(t.Context(), func(tx domain.Tx) error { var err error; res, err = tx.Result("RFA-RES1"); return err })
	if err != nil || res.Time != 24*time.Minute+20*time.Second {
		t.Errorf("result %+v, %v", res, err)
	}
}

// inWindow is during the default event's online run (3 to 5 April).
var inWindow = time.Date(2027, 4, 4, 10, 0, 0, 0, time.FixedZone("Astana", 5*3600))

// An online runner's screenshot sent as a photo is the proof of their
// result: the largest size is kept. One whose download failed is asked
// for again.
func TestOnlineProofPhoto(t *testing.T) {
	e := newEnv(t)
	e.now = inWindow
	e.start()
	p := e.person(7301, "en")
	e.seed(p, "en", domain.Registration{Code: "RFA-ONL1", Name: "Dana Lee", Gender: "female", Birth: "1992-09-09",
		Mode: event.Online, Status: domain.StatusPaid, Bib: 1500})
	p.say("/menu")
	p.expect(e.part("en", "menu_ask"))
	p.tap(e.T("en", "menu_online_result"))
	p.expect(e.part("en", "online_time_ask"))
	p.say("31:45")
	p.expect(e.part("en", "online_proof_ask"))
	shot := picture(t, 360, 720, false)
	e.tg.PhotoFile(p.u, "", tgfake.File{Data: shot, Unavailable: true})
	again := p.expect(e.part("en", "file_not_taken"))[0]
	if !strings.Contains(again.Text, e.part("en", "online_proof_ask")) {
		t.Errorf("after a failed download: %q, want the question again", again.Text)
	}
	e.tg.PhotoFile(p.u, "my 5k", tgfake.File{Data: shot})
	p.expect("Thank you! Your result 0:31:45 for 5 km has been sent.")
	var sub domain.Submission
	err := e.store.View(t.Context(), func(tx domain.Tx) error { var err error; sub, err = tx.Submission("RFA-ONL1"); return err })
	if err != nil || sub.Status != domain.SubmissionPending || sub.Time != 31*time.Minute+45*time.Second || sub.ProofMIME != "image/jpeg" {
		t.Fatalf("submission %+v, %v", sub, err)
	}
	if got := e.file(sub.ProofFile); !bytes.Equal(got, shot) {
		t.Errorf("proof kept: %d bytes, want the largest size (%d bytes)", len(got), len(shot))
	}
}

// A file over the limit is not downloaded; one of unknown size is read
// no further than the limit; one whose download fails is handed in
// without bytes. Each is answered, and nothing is kept.
func TestFilesNotTaken(t *testing.T) {
	e := newEnv(t)
	e.admins = []string{"telegram:7401"}
	e.start()
	org := e.person(7401, "en")
	org.say("/start")
	org.expect(e.part("en", "menu_ask"))
	small := []byte("Bib;Time\n1001;0:24:20\n")
	e.tg.Document(org.u, "", tgfake.File{Name: "results.csv", MIME: "text/csv", Data: small, Size: flows.MaxAttachment + 1})
	org.expect(e.part("en", "file_not_taken"))
	if n, d := len(e.tg.Calls("getFile")), e.tg.Downloads(); n != 0 || len(d) != 0 {
		t.Errorf("a file over the limit: %d getFile calls, downloads %q", n, d)
	}
	big := append([]byte("Bib;Time\n"), bytes.Repeat([]byte("1001;0:24:20\n"), flows.MaxAttachment/13+1)...)
	e.tg.Document(org.u, "", tgfake.File{Name: "results.csv", MIME: "text/csv", Data: big, Size: -1})
	org.expect(e.part("en", "file_not_taken"))
	e.tg.Document(org.u, "", tgfake.File{Name: "results.csv", MIME: "text/csv", Data: small, Unavailable: true})
	org.expect(e.part("en", "file_not_taken"))
	if d := e.tg.Downloads(); len(d) != 2 {
		t.Errorf("downloads %q, want the file of unknown size and the unavailable one, once each", d)
	}
	if got := e.user(org.key()).Session.Step; got != flows.StepMenu || e.file("import:"+org.key()) != nil {
		t.Errorf("after files not taken at %q, file kept %v", got, e.file("import:"+org.key()) != nil)
	}
	if logs := e.logs.String(); !strings.Contains(logs, "file over the limit, not downloaded") || !strings.Contains(logs, "could not download a file") {
		t.Errorf("logs:\n%s", logs)
	}
}

// The file URL holds the token; a download that fails (a network
// error, whose text names the URL) never shows it.
func TestFileDownloadKeepsTheTokenOut(t *testing.T) {
	e := newEnv(t)
	e.admins = []string{"telegram:7501"}
	e.start()
	org := e.person(7501, "en")
	org.say("/start")
	org.expect(e.part("en", "menu_ask"))
	// Go's transport may try a dropped GET again by itself: more drops
	// than the adapter's 5 attempts.
	e.tg.Fail(tgfake.FileDownload, 20, tgfake.Failure{Drop: true})
	e.tg.Document(org.u, "", tgfake.File{Name: "results.csv", MIME: "text/csv", Data: []byte("Bib;Time\n1001;0:24:20\n")})
	org.expect(e.part("en", "file_not_taken"))
	logs := e.logs.String()
	if strings.Contains(logs, e.tg.Token) || !strings.Contains(logs, "could not download a file") || !strings.Contains(logs, "/file/bot<token>/documents/") {
		t.Errorf("logs:\n%s", logs)
	}
	if d := e.tg.Downloads(); len(d) < 5 || len(d) > 10 {
		t.Errorf("downloads %q, want 5 tries", d)
	}
}

// The file endpoint is found beside the API endpoint, so the endpoint
// must end in /bot%s/%s.
func TestEndpointMustNameTheBotPath(t *testing.T) {
	e := newEnv(t)
	e.open()
	defer e.store.Close()
	cfg := e.config()
	cfg.Endpoint = e.tg.URL() + "/api/%s/%s"
	_, err := telegram.New(t.Context(), cfg)
	if err == nil || !strings.Contains(err.Error(), "/bot%s/%s") || strings.Contains(err.Error(), e.tg.Token) {
		t.Errorf("New with %q: %v", cfg.Endpoint, err)
	}
}

// A user's messages are answered in order even when a file before them
// takes a while to download.
func TestFileKeepsMessagesInOrder(t *testing.T) {
	e := newEnv(t)
	e.admins = []string{"telegram:7601"}
	e.start()
	org := e.person(7601, "en")
	org.say("/start")
	org.expect(e.part("en", "menu_ask"))
	e.tg.SetLatency("getFile", 300*time.Millisecond)
	e.tg.Document(org.u, "", tgfake.File{Name: "results.csv", MIME: "text/csv", Data: []byte("Bib;Time\n1001;0:24:20\n")})
	org.say("/menu")
	org.expect("Results file: results.csv", e.part("en", "menu_ask"))
}

// Pushes carry no files by contract; one that does still arrives, text
// first, paid like its text. A picture Telegram refuses as a photo goes
// as a document. Uploads fail as bot.Sender says: 429 with its wait,
// 400 rejected, 403 unreachable.
func TestFilesInPushes(t *testing.T) {
	e := newEnv(t)
	e.start()
	u := tgfake.User{ID: 7701, FirstName: "Dana"}
	e.tg.AddChat(u)
	uid := "7701"
	pdf := dialog.Reply{Text: "Your diploma", Document: &dialog.Document{Name: "diploma-RFA-ONL1.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.4 diploma")}}
	if err := e.bot.SendPaid(t.Context(), uid, pdf); err != nil {
		t.Fatal(err)
	}
	msgs := e.tg.BotMessages(u.ID)
	if len(msgs) != 2 || msgs[0].Text != "Your diploma" || !msgs[0].Paid || msgs[1].Document == nil || !msgs[1].Paid ||
		msgs[1].Document.FileName != "diploma-RFA-ONL1.pdf" || string(msgs[1].Document.Data) != "%PDF-1.4 diploma" {
		t.Fatalf("messages %+v", msgs)
	}
	long := picture(t, 2100, 100, true)
	err := e.bot.Send(t.Context(), uid, dialog.Reply{Text: "Proof", Document: &dialog.Document{Name: "proof-RFA-ONL1.png", MIME: "image/png", Data: long}})
	if err != nil {
		t.Fatal(err)
	}
	msgs = e.tg.BotMessages(u.ID)
	if len(msgs) != 4 || msgs[3].Document == nil || msgs[3].Document.Photo || !bytes.Equal(msgs[3].Document.Data, long) {
		t.Fatalf("a long picture: %+v", msgs[2:])
	}
	if c := e.tg.Calls("sendPhoto"); len(c) != 1 || !strings.Contains(c[0].Error, "PHOTO_INVALID_DIMENSIONS") ||
		!strings.Contains(e.logs.String(), "telegram refused a picture as a photo") {
		t.Errorf("sendPhoto calls %+v", c)
	}

	e.tg.Fail("sendDocument", 1, tgfake.Failure{Code: 429, RetryAfter: 7})
	var ra *bot.RetryAfterError
	if err := e.bot.Send(t.Context(), uid, pdf); !errors.As(err, &ra) || ra.Wait != 7*time.Second {
		t.Errorf("429 on an upload: %v", err)
	}
	e.tg.Fail("sendDocument", 1, tgfake.Failure{Code: 400, Description: "Bad Request: file must be non-empty"})
	if err := e.bot.Send(t.Context(), uid, pdf); !errors.Is(err, bot.ErrRejected) || !strings.Contains(err.Error(), "sendDocument") {
		t.Errorf("400 on an upload: %v", err)
	}
	before := len(e.tg.Calls("sendDocument"))
	e.tg.Fail("sendPhoto", 1, tgfake.Failure{Code: 403})
	qr := dialog.Reply{Text: "QR", Document: &dialog.Document{Name: "checkin.png", MIME: "image/png", Data: picture(t, 20, 20, true)}}
	if err := e.bot.Send(t.Context(), uid, qr); !errors.Is(err, bot.ErrUnreachable) {
		t.Errorf("403 on a photo: %v", err)
	}
	if n := len(e.tg.Calls("sendDocument")); n != before {
		t.Errorf("a photo to a user who blocked the bot was tried again as a document")
	}
	if err := e.bot.Send(t.Context(), "7701", qr); err != nil {
		t.Fatal(err)
	}
	if msgs := e.tg.BotMessages(u.ID); !msgs[len(msgs)-1].Document.Photo {
		t.Errorf("a picture did not go as a photo: %+v", msgs[len(msgs)-1])
	}
}
