package flows

import (
	"fmt"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/formats/qr"
)

// payMyQR asks for the check-in QR code of the registration on screen.
const payMyQR = "my:qr"

// CheckinPath is the path of a registration's check-in page below the
// dashboard's base URL (Config.DashboardURL).
func CheckinPath(code string) string { return "/checkin/" + code }

// offersQR reports whether My registrations offers r's check-in QR
// code: a paid registration in person, with the dashboard on.
func (t *turn) offersQR(r domain.Registration) bool {
	return t.dashboardURL != "" && r.Status == domain.StatusPaid && r.Mode == event.InPerson
}

// checkinQR is a PNG of the QR code of r's check-in page: a volunteer
// logged in to the dashboard scans it with the phone's camera and lands
// on the participant's record.
func (t *turn) checkinQR(r domain.Registration) (*dialog.Document, error) {
	b, err := qr.PNG(t.dashboardURL + CheckinPath(r.Code))
	if err != nil {
		return nil, fmt.Errorf("check-in of %s: %w", r.Code, err)
	}
	return &dialog.Document{Name: "checkin-" + r.Code + ".png", MIME: "image/png", Data: b}, nil
}

// sendQR attaches the check-in QR code of the registration on screen.
func (t *turn) sendQR() error {
	r, ok, err := t.myReg()
	if err != nil || !ok {
		return err
	}
	if !t.offersQR(r) {
		return invalid("pick_button")
	}
	d, err := t.checkinQR(r)
	if err != nil {
		return err
	}
	t.attach(t.T("my_checkin_qr_caption", "Name", r.Name, "Code", r.Code, "Bib", t.bibText(r.Bib)), d)
	return nil
}
