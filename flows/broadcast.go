package flows

import (
	"fmt"
	"slices"
	"strings"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/locales"
)

// Broadcast payloads.
const (
	payBcAudience = "bc:a:"
	payBcOne      = "bc:one"
	payBcEach     = "bc:each"
	payBcSend     = "bc:send"
	payBcEdit     = "bc:edit"
	payBcCancel   = "bc:cancel"
)

// adminStep is a step only organizers reach; anyone else (an admin
// removed from ADMINS mid-way) is taken back to the menu.
func adminStep(ask func(*turn) (dialog.Reply, error), handle func(*turn, input) error) stepDef {
	return stepDef{
		ask: func(t *turn) (dialog.Reply, error) {
			if !t.isAdmin() {
				return askMenu(t)
			}
			return ask(t)
		},
		handle: func(t *turn, in input) error {
			if !t.isAdmin() {
				t.session().Broadcast = nil
				t.goTo(StepMenu)
				return nil
			}
			if in.payload == payBcCancel {
				t.session().Broadcast = nil
				t.note("bc_cancelled")
				t.goTo(StepMenu)
				return nil
			}
			return handle(t, in)
		},
	}
}

// startBroadcast is /broadcast: pick an audience, write the text in one
// or three languages, see a preview with the audience size, confirm.
func startBroadcast(t *turn, _ string) error {
	t.session().Broadcast = &domain.BroadcastDraft{}
	t.goTo(StepBcAudience)
	return nil
}

func (t *turn) bcDraft() *domain.BroadcastDraft {
	s := t.session()
	if s.Broadcast == nil {
		s.Broadcast = &domain.BroadcastDraft{}
	}
	return s.Broadcast
}

func askBcAudience(t *turn) (dialog.Reply, error) {
	r := dialog.Reply{Text: t.T("bc_audience_ask")}
	for _, a := range t.broadcastAudiences() {
		r.Choices = append(r.Choices, dialog.Choice{Label: t.audienceLabel(a), Payload: payBcAudience + a})
	}
	r.Choices = append(r.Choices, t.choice("cancel", payBcCancel))
	return r, nil
}

func handleBcAudience(t *turn, in input) error {
	aud, ok := strings.CutPrefix(in.payload, payBcAudience)
	if !ok || !slices.Contains(t.broadcastAudiences(), aud) {
		return invalid("pick_button")
	}
	d := t.bcDraft()
	*d = domain.BroadcastDraft{Audience: aud}
	t.toTexts()
	return nil
}

// toTexts goes on to the texts: a language audience needs one text,
// others are asked whether to write one text or three.
func (t *turn) toTexts() {
	d := t.bcDraft()
	d.Texts = nil
	if strings.HasPrefix(d.Audience, "lang:") {
		d.PerLang = false
		t.goTo(StepBcText)
		return
	}
	t.goTo(StepBcMode)
}

func askBcMode(t *turn) (dialog.Reply, error) {
	return dialog.Reply{Text: t.T("bc_mode_ask"), Choices: []dialog.Choice{
		t.choice("bc_mode_one", payBcOne),
		t.choice("bc_mode_each", payBcEach),
		t.choice("cancel", payBcCancel),
	}}, nil
}

func handleBcMode(t *turn, in input) error {
	d := t.bcDraft()
	switch in.payload {
	case payBcOne:
		d.PerLang = false
	case payBcEach:
		d.PerLang = true
	default:
		return invalid("pick_button")
	}
	d.Texts = nil
	t.goTo(StepBcText)
	return nil
}

func askBcText(t *turn) (dialog.Reply, error) {
	cancel := []dialog.Choice{t.choice("cancel", payBcCancel)}
	switch l := t.bcDraft().NextText(); l {
	case domain.OneText, "":
		return dialog.Reply{Text: t.T("bc_text_ask_one"), Choices: cancel}, nil
	default:
		return dialog.Reply{Text: t.T("bc_text_ask_lang", "Lang", t.cat.T(l, "lang_name", nil)), Choices: cancel}, nil
	}
}

func handleBcText(t *turn, in input) error {
	if in.text == "" {
		return invalid("bc_text_needed")
	}
	d := t.bcDraft()
	l := d.NextText()
	if l == "" {
		t.goTo(StepBcPreview)
		return nil
	}
	if d.Texts == nil {
		d.Texts = map[string]string{}
	}
	d.Texts[l] = in.text
	if d.NextText() == "" {
		t.goTo(StepBcPreview)
	}
	return nil
}

func askBcPreview(t *turn) (dialog.Reply, error) {
	d := t.bcDraft()
	to, excluded, err := t.recipients(d.Audience)
	if err != nil {
		return dialog.Reply{}, err
	}
	var b strings.Builder
	b.WriteString(t.T("bc_preview", "Audience", t.audienceLabel(d.Audience)))
	b.WriteString("\n" + t.N("bc_preview_count", len(to)))
	if excluded > 0 {
		b.WriteString("\n" + t.N("bc_preview_excluded", excluded))
	}
	if len(to) == 0 {
		b.WriteString("\n" + t.T("bc_empty"))
	}
	if d.PerLang {
		for _, l := range locales.Languages {
			b.WriteString("\n\n" + t.T("bc_preview_lang", "Lang", t.cat.T(l, "lang_name", nil)) + "\n" + d.Texts[l])
		}
	} else {
		b.WriteString("\n\n" + d.Texts[domain.OneText])
	}
	r := dialog.Reply{Text: b.String()}
	if len(to) > 0 {
		r.Choices = append(r.Choices, t.choice("bc_send", payBcSend))
	} else {
		// The texts stay: only another audience is to be picked.
		for _, a := range t.broadcastAudiences() {
			if a != d.Audience {
				r.Choices = append(r.Choices, dialog.Choice{Label: t.audienceLabel(a), Payload: payBcAudience + a})
			}
		}
	}
	r.Choices = append(r.Choices, t.choice("bc_edit", payBcEdit), t.choice("cancel", payBcCancel))
	return r, nil
}

func handleBcPreview(t *turn, in input) error {
	if aud, ok := strings.CutPrefix(in.payload, payBcAudience); ok && slices.Contains(t.broadcastAudiences(), aud) {
		d := t.bcDraft()
		d.Audience = aud
		if strings.HasPrefix(aud, "lang:") && d.PerLang {
			// One language reads one text.
			t.toTexts()
		}
		return nil
	}
	switch in.payload {
	case payBcEdit:
		t.toTexts()
		return nil
	case payBcSend:
		return t.queueBroadcast()
	}
	return invalid("pick_button")
}

// queueBroadcast queues one push per recipient, in their language, in
// this turn's transaction, and audits it. A broadcast carries no "Stop
// reminders" button: it is news from the organizers, not a reminder
// (people who turned reminders off in the menu do not get it).
func (t *turn) queueBroadcast() error {
	d := t.bcDraft()
	to, _, err := t.recipients(d.Audience)
	if err != nil {
		return err
	}
	if len(to) == 0 {
		return invalid("bc_empty")
	}
	b := &domain.Broadcast{Admin: t.u.Key, Audience: d.Audience, Texts: d.Texts, Count: len(to), Created: t.now}
	if err := t.tx.AddBroadcast(b); err != nil {
		return err
	}
	for _, u := range to {
		lang := pushLang(u)
		p := &domain.Push{Key: fmt.Sprintf("broadcast:%d:%s", b.ID, u.Key), UserKey: u.Key, Kind: "broadcast", Created: t.now,
			Reply: dialog.Reply{Text: d.Text(lang)}}
		if _, err := t.tx.Enqueue(p); err != nil {
			return err
		}
	}
	if err := t.audit("broadcast", fmt.Sprintf("broadcast:%d", b.ID), fmt.Sprintf("audience=%s recipients=%d", d.Audience, len(to))); err != nil {
		return err
	}
	t.session().Broadcast = nil
	t.notes = append(t.notes, t.N("bc_queued", len(to), "ID", b.ID))
	t.goTo(StepMenu)
	return nil
}

func pushLang(u domain.User) string {
	if locales.Supported(u.Lang) {
		return u.Lang
	}
	return domain.FallbackLang
}

// broadcastStatus is /broadcast_status: for the last three broadcasts,
// how many pushes were queued, sent, are waiting, failed, went to users
// who blocked the bot, or were skipped.
func broadcastStatus(t *turn, _ string) error {
	bs, err := t.tx.Broadcasts(3)
	if err != nil {
		return err
	}
	if len(bs) == 0 {
		t.note("bc_status_none")
		return nil
	}
	var items []string
	for _, b := range bs {
		st, err := t.tx.PushStats(fmt.Sprintf("broadcast:%d:", b.ID))
		if err != nil {
			return err
		}
		items = append(items, t.T("bc_status_item", "ID", b.ID, "Date", t.formatMoment(b.Created.In(t.ev.Location())),
			"Audience", t.audienceLabel(b.Audience), "Queued", st.Queued(), "Sent", st.Sent, "Pending", st.Pending,
			"Failed", st.Failed, "Unreachable", st.Unreachable, "Skipped", st.Skipped))
		if st.Delivered > 0 {
			items[len(items)-1] += "\n" + t.T("bc_status_receipts", "Delivered", st.Delivered, "Read", st.Read)
		}
	}
	t.notes = append(t.notes, strings.Join(items, "\n\n"))
	return nil
}

// registerBroadcast adds an organizer's broadcast: audience, mode, text
// and preview.
func registerBroadcast(r *registry) {
	r.addSteps(map[domain.Step]stepDef{
		StepBcAudience: adminStep(askBcAudience, handleBcAudience),
		StepBcMode:     adminStep(askBcMode, handleBcMode),
		StepBcText:     adminStep(askBcText, handleBcText),
		StepBcPreview:  adminStep(askBcPreview, handleBcPreview),
	})
}
