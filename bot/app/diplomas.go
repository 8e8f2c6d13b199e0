package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/runforautism/rfabot/domain"
	"github.com/runforautism/rfabot/flows"
	"github.com/runforautism/rfabot/formats/diploma"
)

// diplomaLookup is the diploma server's Lookup: what flows says the
// diploma behind a link is, flows' ErrNotFound told as the server's.
type diplomaLookup struct{ conv *flows.Flows }

func (l diplomaLookup) Diploma(ctx context.Context, code, token string) (diploma.Diploma, error) {
	d, err := l.conv.DiplomaFor(ctx, code, token)
	if errors.Is(err, domain.ErrNotFound) {
		return d, fmt.Errorf("%w: %w", diploma.ErrNotFound, err)
	}
	return d, err
}
