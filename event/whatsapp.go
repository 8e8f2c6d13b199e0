package event

import (
	"regexp"
	"slices"
	"sort"
)

// WhatsApp is what the WhatsApp Cloud API transport (WHATSAPP_TRANSPORT
// =cloud) takes from the event file.
type WhatsApp struct {
	// Templates names, per kind of push ("reminder", "results"…) and
	// language, the message template registered in WhatsApp Manager
	// that carries the push to a user who has not written in the last
	// 24 hours. Its body has one variable, {{1}}, which gets the push's
	// text. A push of a kind without a template waits until the user
	// writes.
	Templates map[string]Text `toml:"templates"`
}

// TemplateKinds are the kinds of push a template may be named for.
var TemplateKinds = []string{"payment", "lapse", "waitlist", "cancel", "reminder", "broadcast", "results", "review"}

// templateName is what WhatsApp Manager accepts as a template's name.
var templateName = regexp.MustCompile(`^[a-z0-9_]{1,512}$`)

// Template is the template for a push of kind to a user speaking lang,
// and the language code to send it in: lang's template, else the
// Russian, else the English one. ok is false when none is named.
func (w WhatsApp) Template(kind, lang string) (name, code string, ok bool) {
	t := w.Templates[kind]
	for _, l := range []string{lang, "ru", "en"} {
		var n string
		switch l {
		case "kk":
			n = t.KK
		case "ru":
			n = t.RU
		case "en":
			n = t.EN
		}
		if n != "" {
			return n, l, true
		}
	}
	return "", "", false
}

func (c *Config) validateWhatsApp(errs *fieldErrs) {
	kinds := make([]string, 0, len(c.WhatsApp.Templates))
	for k := range c.WhatsApp.Templates {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		f := "whatsapp.templates." + k
		if !slices.Contains(TemplateKinds, k) {
			errs.add(f, "no push is of this kind; use one of %v", TemplateKinds)
			continue
		}
		t := c.WhatsApp.Templates[k]
		for _, n := range []string{t.KK, t.RU, t.EN} {
			if n != "" && !templateName.MatchString(n) {
				errs.add(f, "template name %q: WhatsApp allows only a-z, 0-9 and '_'", n)
			}
		}
	}
}
