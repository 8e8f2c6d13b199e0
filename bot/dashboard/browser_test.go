package dashboard_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/runforautism/rfabot/domain"
)

// screenshot, when set, is where TestDashboardInBrowser saves the
// overview at phone width (the README shows docs/dashboard-phone.png):
//
//	go test ./bot/dashboard -run TestDashboardInBrowser -screenshot ../../docs/dashboard-phone.png
var screenshot = flag.String("screenshot", "", "save the dashboard at phone width to this PNG file")

// chromium finds a Chromium or Chrome to drive; "" when none is
// installed.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// phone is the viewport of a common phone, in CSS pixels.
const phoneWidth, phoneHeight = 390, 844

// TestDashboardInBrowser logs in with a real browser at phone width,
// searches, marks a registration paid and sees the paid count change,
// uploads a results file and applies it, and opens the children's and
// the review pages; no page is wider than the phone's screen.
func TestDashboardInBrowser(t *testing.T) {
	exe := chromium()
	if exe == "" {
		t.Skip("no Chromium installed (apt-get install chromium): the dashboard's browser test is skipped; .ci/run installs it")
	}
	e := newEnv(t)
	// Enough people for the bars and tables to show something.
	names := []string{"Дана Серікова", "Тимур Ахметов", "Alua Bekova", "Ерлан Жұмабаев", "Мария Иванова", "Айгүл Сәрсенова"}
	for i := range 24 {
		status, bib := domain.StatusPaid, 1000+i
		if i%3 == 0 {
			status, bib = domain.StatusAwaitingPayment, 0
		}
		e.add(fmt.Sprintf("X%03d", i), names[i%len(names)], fmt.Sprintf("+770155500%02d", i), []string{"1k", "2.5k", "5k", "10k"}[i%4], status, bib)
	}
	kid := e.addChild("ALUA", "Alua", "Динара Садыкова", "+77011112233", domain.StatusAwaitingPayment, "non-verbal, needs a companion")
	// A screenshot wider than the phone: the page shrinks it to fit.
	shotImg := image.NewRGBA(image.Rect(0, 0, 1080, 2340))
	draw.Draw(shotImg, shotImg.Bounds(), &image.Uniform{color.RGBA{0xfc, 0x4c, 0x02, 0xff}}, image.Point{}, draw.Src)
	var proof bytes.Buffer
	if err := png.Encode(&proof, shotImg); err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(t.TempDir(), "results.csv")
	if err := os.WriteFile(csvPath, []byte("Place;Bib;Name;Time\n1;1001;Тимур Ахметов;0:39:12\n2;1;Әсел Қайратқызы;0:41:05\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(phoneWidth, phoneHeight),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("browser: %v", err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("browser: text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	// fits checks the page is no wider than the phone: wide tables
	// scroll inside their box.
	fits := func(page string) {
		t.Helper()
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatalf("browser: %v", err)
		}
		if w > phoneWidth {
			t.Errorf("%s is %dpx wide on a %dpx phone", page, w, phoneWidth)
		}
	}
	paid := `tr[data-distance="5k-inperson"] td.paid`
	do(chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(e.srv.URL+"/admin/registrations"),
		chromedp.WaitVisible(`input[name=token]`))
	fits("the login page")
	do(chromedp.SendKeys(`input[name=token]`, token),
		chromedp.SendKeys(`input[name=name]`, "Айгүл"),
		chromedp.Submit(`input[name=token]`),
		// Back where the browser was sent from, logged in.
		chromedp.WaitVisible(`#found`),
		chromedp.Navigate(e.srv.URL+"/admin/"),
		chromedp.WaitVisible(`#total`))
	before := text(paid)
	fits("the overview")
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	do(chromedp.Click(`a[href="/admin/registrations"]`),
		chromedp.WaitVisible(`input[name=q]`),
		chromedp.SendKeys(`input[name=q]`, "Nurlanova"),
		chromedp.Submit(`input[name=q]`),
		// The page of results, not the list the search was typed on.
		chromedp.WaitVisible(`input[name=q][value="Nurlanova"]`))
	found := text(`#found`)
	fits("the registrations")
	do(chromedp.Click(`a[href="/admin/r/RFA-AIGE"]`),
		chromedp.WaitVisible(`#markpaid`))
	fits("a participant's page")
	do(chromedp.SendKeys(`#markpaid input[name=reason]`, "наличные на выдаче"),
		chromedp.Submit(`#markpaid input[name=reason]`),
		chromedp.WaitVisible(`.flash.ok`))
	status := text(`#status`)
	do(chromedp.Navigate(e.srv.URL+"/admin/"),
		chromedp.WaitVisible(`#total`))
	after := text(paid)
	do(chromedp.Navigate(e.srv.URL+"/admin/checkin/RFA-X001"),
		chromedp.WaitVisible(`.desk`))
	fits("the check-in page")
	// The results file: upload, dry run, Apply.
	do(chromedp.Navigate(e.srv.URL+"/admin/results"),
		chromedp.WaitVisible(`#upload`),
		chromedp.SetUploadFiles(`input[name=file]`, []string{csvPath}),
		chromedp.Submit(`input[name=file]`),
		chromedp.WaitVisible(`#summary`))
	summary := text(`#summary`)
	fits("the results report")
	do(chromedp.Click(`#apply button`),
		chromedp.WaitVisible(`#applied`))
	applied := text(`#applied .flash`)
	fits("the results applied")
	do(chromedp.Navigate(e.srv.URL+"/admin/funstarts"),
		chromedp.WaitVisible(`#found`),
		chromedp.Click(`a[href="/admin/r/`+kid+`"]`),
		chromedp.WaitVisible(`#needs`))
	fits("a child's page")
	e.addSubmission("ONLX", "Runner X", proof.Bytes(), "")
	do(chromedp.Navigate(e.srv.URL+"/admin/review"),
		chromedp.WaitVisible(`img.proof`))
	fits("the review page")
	proofWidth, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelector("img.proof").naturalWidth`))
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	if found != "Found: 1 of 27." {
		t.Errorf("search shows %q", found)
	}
	if before != "4" || after != "5" || status != "paid" {
		t.Errorf("paid on 5 km: %q before, %q after; status %q", before, after, status)
	}
	if got := e.reg("AIGE"); got.Status != domain.StatusPaid || len(e.audit()) != 2 || e.audit()[0].Admin != "dashboard:Айгүл" {
		t.Errorf("stored %+v, audit %+v", got, e.audit())
	}
	if summary != "Rows: 2. New results: 2, changed: 0, unchanged: 0, with problems: 0." ||
		!strings.HasPrefix(applied, "Applied: 2 new and 0 changed results.") {
		t.Errorf("results: %q, then %q", summary, applied)
	}
	if res := e.result("X001"); res == nil || res.Place != 1 || e.result("ASEL") == nil || e.audit()[1].Action != "import_results" {
		t.Errorf("results stored: %+v, audit %+v", res, e.audit())
	}
	if proofWidth != 1080 {
		t.Errorf("the proof shows %d pixels wide, want the picture's 1080", proofWidth)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if w := img.Bounds().Dx(); w != 2*phoneWidth {
		t.Errorf("screenshot is %dpx wide, want %d", w, 2*phoneWidth)
	}
	if *screenshot != "" {
		if err := os.WriteFile(*screenshot, shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
