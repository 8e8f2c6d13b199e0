// Package locales holds every text a user sees, in Kazakh, Russian and
// English, as go-i18n TOML files embedded in the binary.
package locales

import (
	"embed"
	"fmt"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages are the bot's languages, in the order they are offered.
var Languages = []string{"kk", "ru", "en"}

//go:embed active.*.toml
var files embed.FS

// Catalog looks texts up by message id and language.
type Catalog struct {
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
}

// Load parses the embedded locale files.
func Load() (*Catalog, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalog{bundle: b, localizers: map[string]*i18n.Localizer{}}
	for _, lang := range Languages {
		name := "active." + lang + ".toml"
		if _, err := b.LoadMessageFileFS(files, name); err != nil {
			return nil, fmt.Errorf("load %s: %w", name, err)
		}
		// No fallback language: a missing text is an error, not English.
		c.localizers[lang] = i18n.NewLocalizer(b, lang)
	}
	return c, nil
}

// Supported reports whether lang is one of the bot's languages.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Lookup returns message id in lang, filled from data; count, when not nil,
// selects the plural form. A missing message or plural form is an error.
func (c *Catalog) Lookup(lang, id string, data map[string]any, count any) (string, error) {
	l, ok := c.localizers[lang]
	if !ok {
		return "", fmt.Errorf("unsupported language %q", lang)
	}
	return l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
}

// T returns message id in lang. A missing text yields the id itself, so
// the gap shows rather than an empty message; tests keep ids complete.
func (c *Catalog) T(lang, id string, data map[string]any) string {
	s, err := c.Lookup(lang, id, data, nil)
	if err != nil || s == "" {
		return id
	}
	return s
}

// N is T with the plural form chosen by n; data gets n as Count.
func (c *Catalog) N(lang, id string, n int, data map[string]any) string {
	d := map[string]any{"Count": n}
	for k, v := range data {
		d[k] = v
	}
	s, err := c.Lookup(lang, id, d, n)
	if err != nil || s == "" {
		return id
	}
	return s
}
