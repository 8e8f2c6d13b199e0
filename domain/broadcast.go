package domain

import "github.com/runforautism/rfabot/locales"

// OneText is the key of the text for all languages in a draft.
const OneText = "all"

// NextText is the language whose text is still missing (oneText for a
// single text), or "" when the texts are complete.
func (d *BroadcastDraft) NextText() string {
	if !d.PerLang {
		if d.Texts[OneText] == "" {
			return OneText
		}
		return ""
	}
	for _, l := range locales.Languages {
		if d.Texts[l] == "" {
			return l
		}
	}
	return ""
}

// Text is the broadcast's Text for a reader of lang.
func (d *BroadcastDraft) Text(lang string) string {
	if !d.PerLang {
		return d.Texts[OneText]
	}
	if s := d.Texts[lang]; s != "" {
		return s
	}
	return d.Texts[FallbackLang]
}

// FallbackLang is the language of a push to a user who never chose
// one.
const FallbackLang = "ru"
