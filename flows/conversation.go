package flows

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/distress"
	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/event"
	"github.com/runforautism/rfabot/locales"
)

// Flows answers users. It is safe for concurrent use; the caller keeps
// one user's messages in order.
type Flows struct {
	store  domain.Store
	ev     *event.Config
	cat    *locales.Catalog
	now    func() time.Time
	admins map[string]bool
	// steps, commands and adminCmds are what the features registered
	// (registry.go).
	steps     map[domain.Step]stepDef
	commands  map[string]chatCommand
	adminCmds map[string]adminCommand
	payments  PaymentLinks
	// linkQ is the orders waiting for a link from the provider's API.
	linkQ *linkQueue
	// supportChat is the Telegram chat of the support volunteers; empty:
	// no call-back requests.
	supportChat string
	// dashboardURL is the organizers' dashboard; empty: no check-in QR
	// codes.
	dashboardURL string
	// publicURL is the base URL of the bot's HTTP server, without a
	// trailing slash; empty: no diploma links.
	publicURL string
}

// Config is what the conversation needs.
type Config struct {
	Store   domain.Store
	Event   *event.Config
	Catalog *locales.Catalog
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Admins are the user keys of organizers ("telegram:123456",
	// "whatsapp:77011234567"); only they see admin commands.
	Admins []string
	// Payments builds payment links; a registration cannot be confirmed
	// without it.
	Payments PaymentLinks
	// SupportChatID is the Telegram chat id of trained volunteers who
	// call back people from the help flow. When set, the help flow
	// offers a call back and, with the user's consent, queues a push to
	// "telegram:<SupportChatID>" with the number the user chose and
	// their language, never what they wrote. Empty: no call backs.
	SupportChatID string
	// DashboardURL is the base URL of the organizers' dashboard,
	// PUBLIC_URL + "/admin". When set, a paid registration in person
	// offers a QR code of DashboardURL + "/checkin/<code>" in My
	// registrations, for volunteers to scan on race day. Empty: no QR
	// codes (the dashboard is off).
	DashboardURL string
	// PublicURL is the base URL of the bot's HTTP server as participants
	// reach it ("https://bot.example.kz"). Results pushes link each
	// finisher's diploma under it (GET /diploma/<code>/<token>.pdf and
	// .png). Empty: no links; /diploma still sends the file.
	PublicURL string
}

// New returns the conversation.
func New(c Config) *Flows {
	if c.Now == nil {
		c.Now = time.Now
	}
	f := &Flows{store: c.Store, ev: c.Event, cat: c.Catalog, now: c.Now, admins: map[string]bool{}, payments: c.Payments, linkQ: newLinkQueue(), supportChat: c.SupportChatID,
		dashboardURL: strings.TrimRight(c.DashboardURL, "/"), publicURL: strings.TrimRight(c.PublicURL, "/")}
	for _, a := range c.Admins {
		f.admins[a] = true
	}
	reg := newRegistry()
	f.steps, f.commands, f.adminCmds = reg.steps, reg.commands, reg.admin
	return f
}

// Event is the event the flows serve.
func (f *Flows) Event() *event.Config { return f.ev }

// stepDef is one step: the question it asks and how it takes an answer.
// ask builds the question from the session, so it is the same after a
// restart; handle moves the session on or returns an *invalidInput.
type stepDef struct {
	ask    func(t *turn) (dialog.Reply, error)
	handle func(t *turn, in input) error
}

// input is a user's answer, resolved against the current question.
type input struct {
	payload string
	text    string
	phone   string
	// file is a photo or a document the user sent, on a step that takes
	// one.
	file *dialog.Attachment
}

// invalidInput is an answer the step cannot take: the user gets the
// explanation and the same question again, and nothing of it is saved.
type invalidInput struct {
	id   string
	args []any
	// count, when set, picks the plural form of the text.
	count *int
}

func (e *invalidInput) Error() string { return "invalid input: " + e.id }

func invalid(id string, args ...any) error { return &invalidInput{id: id, args: args} }

// invalidN is invalid with a text whose plural form n picks.
func invalidN(id string, n int, args ...any) error {
	return &invalidInput{id: id, args: args, count: &n}
}

// turn is the handling of one message in one transaction.
type turn struct {
	*Flows
	tx    domain.Tx
	msg   dialog.Message
	u     *domain.User
	now   time.Time
	notes []string
	// links go with the reply the turn ends with.
	links []dialog.Link
	// attachments are replies with a file, sent before the question the
	// turn ends with.
	attachments []dialog.Reply
	// diploma, when set, is drawn after the transaction and sent with
	// the reply the turn ends with.
	diploma *pendingDiploma
	// assessed is what the help flow's detector found in the text the
	// user wrote; childNotes says it was read as a parent's notes on
	// their child.
	assessed   distress.Result
	childNotes bool
	// number is the number this message typed to pick a choice;
	// renumbered is set when it named a choice that is no longer on the
	// question, repeat when it is the number typed just before.
	number     string
	renumbered bool
	repeat     bool
	// asked is the question the user was on when a button was pressed,
	// built once for the stale check and the answer; stale says the
	// pressed message does not ask it (see checkPress).
	asked *dialog.Reply
	stale bool
}

// Handle answers one message. The user's state and everything the step
// writes are saved in one transaction; whether a pressed button is stale
// is decided in it too, against the question the user is on.
func (f *Flows) Handle(ctx context.Context, msg dialog.Message) (Answer, error) {
	var out []dialog.Reply
	var dip *pendingDiploma
	var stale, keyboard bool
	err := f.store.Update(ctx, func(tx domain.Tx) error {
		out, dip, stale, keyboard = nil, nil, false, false
		t, err := f.newTurn(tx, msg)
		if err != nil {
			return err
		}
		if msg.ID != "" {
			if t.u.Session.HasSeen(msg.ID) {
				return nil
			}
			t.u.Session.Remember(msg.ID)
		}
		keyboard = t.u.Session.PhoneKeyboard
		// Whoever writes can be written to again, even after blocking
		// the bot once.
		t.u.Unreachable = false
		before := t.u.Session.Step
		if out, err = t.run(); err != nil {
			return err
		}
		stale = t.stale
		t.u.Session.OpenRef = ""
		if typed(msg) && msg.Ref != "" && t.u.Session.Step == before {
			t.u.Session.OpenRef = msg.Ref
		}
		dip = t.diploma
		return tx.PutUser(t.u)
	})
	if err != nil {
		return Answer{}, fmt.Errorf("handle message from %s: %w", msg.UserKey(), err)
	}
	if dip != nil && len(out) > 0 {
		doc, err := renderDiploma(dip)
		if err != nil {
			return Answer{}, fmt.Errorf("diploma for %s: %w", msg.UserKey(), err)
		}
		out[len(out)-1].Document = doc
	}
	return Answer{Replies: out, Stale: stale, PhoneKeyboard: keyboard}, nil
}

// Current is the question the user is on, as it would be asked again
// now; it changes nothing. A user the bot has not met is asked for a
// language.
func (f *Flows) Current(ctx context.Context, channel, userID string) (dialog.Reply, error) {
	var r dialog.Reply
	err := f.store.View(ctx, func(tx domain.Tx) error {
		t, err := f.newTurn(tx, dialog.Message{Channel: channel, UserID: userID})
		if err != nil {
			return err
		}
		if t.u.Lang == "" {
			r, err = askLang(t)
			return err
		}
		r, err = t.ask()
		return err
	})
	if err != nil {
		return dialog.Reply{}, fmt.Errorf("current question of %s:%s: %w", channel, userID, err)
	}
	return r, nil
}

// MarkUnreachable records that the messenger refuses to deliver to the
// user for good (they blocked the bot); pushes to them stop.
func (f *Flows) MarkUnreachable(ctx context.Context, channel, userID string) error {
	err := f.store.Update(ctx, func(tx domain.Tx) error {
		u, err := tx.User(channel + ":" + userID)
		if errors.Is(err, domain.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		u.Unreachable = true
		return tx.PutUser(&u)
	})
	if err != nil {
		return fmt.Errorf("mark %s:%s unreachable: %w", channel, userID, err)
	}
	return nil
}

// Apology is the reply when handling a message failed inside the bot.
func (f *Flows) Apology(ctx context.Context, msg dialog.Message) dialog.Reply {
	lang := ""
	_ = f.store.View(ctx, func(tx domain.Tx) error {
		u, err := tx.User(msg.UserKey())
		lang = u.Lang
		return err
	})
	if lang == "" && locales.Supported(msg.LangHint) {
		lang = msg.LangHint
	}
	if lang == "" {
		return dialog.Reply{Text: f.allLangs("error_internal")}
	}
	return dialog.Reply{Text: f.cat.T(lang, "error_internal", nil)}
}

func (f *Flows) allLangs(id string) string {
	parts := make([]string, len(locales.Languages))
	for i, l := range locales.Languages {
		parts[i] = f.cat.T(l, id, nil)
	}
	return strings.Join(parts, "\n")
}

func (f *Flows) newTurn(tx domain.Tx, msg dialog.Message) (*turn, error) {
	u, err := tx.User(msg.UserKey())
	if errors.Is(err, domain.ErrNotFound) {
		u = domain.User{Key: msg.UserKey(), Channel: msg.Channel, ID: msg.UserID, CreatedAt: f.now()}
		err = nil
	}
	if err != nil {
		return nil, err
	}
	if u.Phone == "" && msg.SenderPhone != "" {
		if p, err := ParseSharedPhone(msg.SenderPhone); err == nil {
			u.Phone = p
		}
	}
	return &turn{Flows: f, tx: tx, msg: msg, u: &u, now: f.now()}, nil
}

// T is the text id in the user's language; args are name, value pairs.
func (t *turn) T(id string, args ...any) string {
	return t.cat.T(t.u.Lang, id, kv(args))
}

// N is T with a plural form chosen by n.
func (t *turn) N(id string, n int, args ...any) string {
	return t.cat.N(t.u.Lang, id, n, kv(args))
}

func kv(args []any) map[string]any {
	if len(args) == 0 {
		return nil
	}
	m := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		m[args[i].(string)] = args[i+1]
	}
	return m
}

// note adds a line shown above the next question.
func (t *turn) note(id string, args ...any) { t.notes = append(t.notes, t.T(id, args...)) }

func (t *turn) session() *domain.Session { return &t.u.Session }

func (t *turn) goTo(s domain.Step) { t.u.Session.Step = s }

func (t *turn) def() stepDef {
	d, ok := t.steps[t.u.Session.Step]
	if !ok {
		t.goTo(StepMenu)
		return t.steps[StepMenu]
	}
	return d
}

func (t *turn) run() ([]dialog.Reply, error) {
	// The help flow comes before anything else, in every state and
	// before a language is chosen: a person in distress is answered at
	// once.
	if opened, err := t.assess(); err != nil || opened {
		if err != nil {
			return nil, err
		}
		return t.finish()
	}
	if t.u.Lang == "" {
		return t.firstContact()
	}
	if t.msg.Edited && (t.msg.Ref == "" || t.msg.Ref != t.session().OpenRef) {
		t.note("edit_not_read")
		return t.finish()
	}
	if problem := rawProblem(t.msg); problem != "" {
		t.note(problem)
		return t.finish()
	}
	if a := attachment(t.msg); a != nil && t.session().Step != StepOnlineProof {
		if err := t.takeFile(a); err != nil {
			return nil, err
		}
		return t.finish()
	}
	if name, arg, ok := command(t.msg.Text); ok {
		if err := t.command(name, arg); err != nil {
			return nil, err
		}
		return t.finish()
	}
	if err := t.checkPress(); err != nil {
		return nil, err
	}
	if t.pushAction() {
		return t.finish()
	}
	d := t.def()
	q, err := t.question()
	if err != nil {
		return nil, err
	}
	in, ok := t.resolve(q)
	if !ok && globalPayloads[t.msg.Payload] {
		// Buttons on pushes (a lapse notice, a confirmation) work from
		// any step.
		if err := handleMenu(t, input{payload: t.msg.Payload}); err != nil {
			return nil, err
		}
		return t.finish()
	}
	if !ok && t.renumbered {
		t.note("list_changed")
		return t.finish()
	}
	if !ok {
		t.note("button_stale")
		return t.finish()
	}
	if took, err := t.takeOffer(in); err != nil || took {
		if err != nil {
			return nil, err
		}
		return t.finish()
	}
	// "Help me register" is a question for the bot, not an answer: it
	// gets the bot's own help and the same question. In the help flow
	// and in a child's notes ("needs help with shoes") text is taken as
	// it is; on screens of buttons, freeText answers it.
	if step := t.session().Step; in.text != "" && !inHelp(step) && !notesStep(step) && !answersQuestions[step] && distress.AsksBotHelp(in.text) {
		t.botHelp()
		return t.finish()
	}
	// No free-text question takes a text with a distress signal, nor a
	// sentence for a name.
	if in.text != "" && t.guardText(in.text) {
		return t.finish()
	}
	if err := d.handle(t, in); err != nil {
		var bad *invalidInput
		if !errors.As(err, &bad) {
			return nil, err
		}
		if bad.count != nil {
			t.notes = append(t.notes, t.N(bad.id, *bad.count, bad.args...))
		} else {
			t.note(bad.id, bad.args...)
		}
	}
	return t.finish()
}

// finish ends the turn with the question of the step the user is now on,
// the notes gathered on the way above it.
func (t *turn) finish() ([]dialog.Reply, error) {
	t.leaveHelp()
	t.dropOffer()
	q, err := t.ask()
	if err != nil {
		return nil, err
	}
	if len(t.notes) > 0 {
		q.Text = strings.Join(append(t.notes, q.Text), "\n\n")
	}
	q.Links = uniqueLinks(append(t.links, q.Links...))
	t.u.Session.Number, t.u.Session.NumberAt = t.number, t.now
	if t.msg.Numbered {
		t.u.Numbered = true
		t.u.Session.Shown, t.u.Session.Pushed = t.payloads(q), nil
	}
	return append(t.attachments, q), nil
}

// uniqueLinks drops a link to a URL already in links: a change that
// issues a new payment link ends on a screen that shows it too.
func uniqueLinks(links []dialog.Link) []dialog.Link {
	var out []dialog.Link
	seen := map[string]bool{}
	for _, l := range links {
		// A link still on its way has no URL: the turn says so instead.
		if l.URL != "" && !seen[l.URL] {
			seen[l.URL] = true
			out = append(out, l)
		}
	}
	return out
}

// attach sends a file with caption before the turn's question.
func (t *turn) attach(caption string, d *dialog.Document) {
	t.attachments = append(t.attachments, dialog.Reply{Text: caption, Document: d})
}

// firstContact sets the language from the messenger's hint, or asks.
func (t *turn) firstContact() ([]dialog.Reply, error) {
	switch name, arg, _ := command(t.msg.Text); {
	case name == "start" && arg != "":
		t.session().StartArg = arg
	case name == "support":
		t.session().StartArg = "support"
	}
	if locales.Supported(t.msg.LangHint) {
		t.u.Lang = t.msg.LangHint
		t.note("welcome")
		if name, _, cmd := command(t.msg.Text); name == "help" || !cmd && typed(t.msg) && distress.AsksBotHelp(t.msg.Text) {
			t.botHelp()
		}
		t.goTo(StepMenu)
		t.followStartArg()
		return t.finish()
	}
	asked := t.session().Step == StepLang
	t.goTo(StepLang)
	q, err := askLang(t)
	if err != nil {
		return nil, err
	}
	t.stale = t.msg.Pressed != nil && !t.msg.Pressed.Asks(q)
	if in, ok := t.resolve(q); ok && in.payload != "" {
		if err := handleLang(t, in); err != nil {
			return nil, err
		}
	} else if asked {
		// Asked before and answered otherwise: say how to answer, in
		// every language.
		t.notes = append(t.notes, t.allLangs("lang_pick"))
	}
	return t.finish()
}

// checkPress decides, for a pressed button, whether the message it was
// on asks the question the user is on, and keeps that question for the
// answer: the press is checked and applied in one transaction, and the
// question built once for both.
func (t *turn) checkPress() error {
	if t.msg.Payload == "" || t.msg.Pressed == nil {
		return nil
	}
	q, err := t.ask()
	if err != nil {
		return err
	}
	t.asked, t.stale = &q, !t.msg.Pressed.Asks(q)
	return nil
}

// question is the question the user is on: the one checkPress built, or
// a new one.
func (t *turn) question() (dialog.Reply, error) {
	if t.asked != nil {
		return *t.asked, nil
	}
	return t.ask()
}

// typed reports whether m is text the user typed, not a button, a
// shared contact, a picture or a file.
func typed(m dialog.Message) bool {
	return m.Payload == "" && m.Phone == "" && !m.NonText && attachment(m) == nil && m.Text != ""
}

// attachment is the file or photo a message carries, or nil.
func attachment(m dialog.Message) *dialog.Attachment {
	if m.Photo != nil {
		return m.Photo
	}
	return m.Document
}

// takeFile takes a file sent where no step asks for one: an organizer's
// results file starts an import; anything else is explained.
func (t *turn) takeFile(a *dialog.Attachment) error {
	switch {
	case t.isAdmin() && t.msg.Document != nil && isResultsFile(a):
		return t.takeResultsFile(a)
	case t.isAdmin() && t.msg.Document != nil && isSpreadsheet(a):
		t.note("import_save_csv")
	default:
		t.note("input_file_unexpected")
	}
	return nil
}

// rawProblem names what is wrong with a message before any step reads it.
func rawProblem(m dialog.Message) string {
	switch {
	case m.NonText:
		return "input_not_text"
	case m.Payload != "" || m.Phone != "" || attachment(m) != nil:
		return ""
	case strings.TrimSpace(m.Text) == "":
		return "input_empty"
	case utf8.RuneCountInString(m.Text) > MaxTextLen:
		return "input_too_long"
	}
	return ""
}

// resolve turns a message into the answer to question q: a pressed button
// must be one of q's, a number picks a choice of the list last shown on
// numbered channels, and a label typed out picks that choice (see
// matchLabel). ok is false for a button that does not belong to the
// question (an old message) and for a number whose choice is no longer
// on the question (t.renumbered is set then).
func (t *turn) resolve(q dialog.Reply) (input, bool) {
	m := t.msg
	if m.Payload != "" {
		if t.stale {
			return input{}, false
		}
		for _, c := range q.Choices {
			if c.Payload == m.Payload {
				return input{payload: c.Payload}, true
			}
		}
		return input{}, false
	}
	if m.Phone != "" {
		return input{phone: m.Phone}, true
	}
	if a := attachment(m); a != nil {
		return input{file: a}, true
	}
	text := strings.TrimSpace(m.Text)
	if m.Numbered {
		if n, err := strconv.Atoi(text); err == nil && n >= 1 {
			if in, ok, picked := t.pickNumber(q, n, text); picked {
				return in, ok
			}
		}
	}
	t.lastNumber("")
	if p, ok := matchLabel(q.Choices, text); ok {
		return input{payload: p}, true
	}
	return input{text: text}, true
}

// pickNumber reads number n, typed as text, on a numbered channel. It
// picks the n-th choice of the list the user was last shown: a push's
// (Pushed) when one with buttons came after the last reply and has n
// choices, else the last reply's (Shown), wherever that choice is on
// the question now. A choice that is gone is not replaced by whatever
// took its number: the question is asked again. Without a list
// remembered (before the first reply), n counts on q. picked is false
// for a number beyond the list, which is read as a label or text ("10"
// for 10 km, a phone number).
func (t *turn) pickNumber(q dialog.Reply, n int, text string) (in input, ok, picked bool) {
	shown := t.payloads(q)
	if t.u != nil && t.u.Session.Shown != nil {
		shown = t.u.Session.Shown
	}
	if t.u != nil && n <= len(t.u.Session.Pushed) {
		shown = t.u.Session.Pushed
	}
	if n > len(shown) {
		return input{}, false, false
	}
	t.lastNumber(text)
	p := shown[n-1]
	for _, c := range q.Choices {
		if c.Payload == p {
			return input{payload: p}, true, true
		}
	}
	if globalPayloads[p] {
		// A push's button, as its list showed it.
		t.msg.Payload = p
		return input{}, false, true
	}
	t.renumbered = true
	return input{}, false, true
}

func (t *turn) payloads(q dialog.Reply) []string {
	out := make([]string, len(q.Choices))
	for i, c := range q.Choices {
		out[i] = c.Payload
	}
	return out
}

// lastNumber notes the number this message typed to pick a choice, ""
// for none, and whether it repeats the one before (see repeated);
// finish remembers it for the next message.
func (t *turn) lastNumber(text string) {
	t.number = text
	t.repeat = text != "" && t.u != nil && t.u.Session.Number == text && t.now.Sub(t.u.Session.NumberAt) < repeatWindow
}

// repeatWindow is how soon after the one before the same number counts
// as sent twice: a double tap on the send button or a message sent again
// on a slow line arrives within seconds, while a person who reads the
// new question and answers it takes longer.
const repeatWindow = 5 * time.Second

// repeated reports whether the user typed the same number twice in a
// row within repeatWindow, the second time on the question the first
// one led to. A step
// that commits something (a confirmation, a cancellation) does not take
// it: the first number was often sent twice before the new question
// arrived. The question is asked again, and the same number then counts.
func (t *turn) repeated() bool {
	if !t.repeat {
		return false
	}
	t.number = ""
	t.note("number_twice", "Number", strings.TrimSpace(t.msg.Text))
	return true
}

// command splits "/start@bot arg" into "start" and "arg".
func command(text string) (name, arg string, ok bool) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "/") || len(text) < 2 {
		return "", "", false
	}
	name, arg, _ = strings.Cut(text[1:], " ")
	name, _, _ = strings.Cut(name, "@")
	return strings.ToLower(name), strings.TrimSpace(arg), true
}

// command runs the command name with arg: one a feature registered, or
// an organizer's for an organizer. Admin commands are invisible to
// everyone else: they get the ordinary answer to an unknown command.
func (t *turn) command(name, arg string) error {
	if c, ok := t.commands[name]; ok {
		return c(t, arg)
	}
	if c, ok := t.adminCmds[name]; ok && t.isAdmin() {
		return c(t, arg)
	}
	t.note("unknown_command")
	return nil
}

// globalPayloads are menu buttons that pushes carry: they are taken on
// any step, not only the one whose question showed them.
var globalPayloads = map[string]bool{payRegister: true, payMine: true, payFunAgain: true}

// deepLinks map t.me/<bot>?start=<payload> to the menu item it opens;
// organizers print them as QR codes on posters.
var deepLinks = map[string]string{
	"register":  payRegister,
	"funstarts": payFun,
	"support":   paySupport,
	"info":      payInfo,
}

// followStartArg opens the place a deep link names, once; an unknown
// payload opens the menu.
func (t *turn) followStartArg() {
	s := t.session()
	arg := s.StartArg
	if arg == "" {
		return
	}
	s.StartArg = ""
	if p, ok := deepLinks[strings.ToLower(arg)]; ok {
		// A menu payload always succeeds.
		_ = handleMenu(t, input{payload: p})
		return
	}
	t.goTo(StepMenu)
}

func inRegistration(s domain.Step) bool {
	return strings.HasPrefix(string(s), "reg.") && s != StepRegDone
}

// choice is a button with a localized label.
func (t *turn) choice(id, payload string) dialog.Choice {
	return dialog.Choice{Label: t.T(id), Payload: payload}
}
