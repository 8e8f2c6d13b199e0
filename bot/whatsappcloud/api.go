// Package whatsappcloud is the WhatsApp channel over Meta's official
// WhatsApp Business Platform (Cloud API), the transport an organizer
// picks with WHATSAPP_TRANSPORT=cloud instead of whatsmeow: messages
// arrive on a signed webhook, replies go to the Graph API's messages
// endpoint with real reply buttons and list messages, and pushes to a
// user who has not written for 24 hours go as approved templates.
// Users are the same "whatsapp" users as with whatsmeow, keyed by their
// number's digits, so an organizer can switch transports.
package whatsappcloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"time"
)

// DefaultAPIURL is the Graph API base with the newest version its
// documentation shows (v26.0, introduced 29 July 2026).
const DefaultAPIURL = "https://graph.facebook.com/v26.0"

// Error codes of the Cloud API this transport acts on.
const (
	// CodeTokenInvalid: the access token expired or was revoked.
	CodeTokenInvalid = 190
	// CodeTooManyCalls (130429): the app's throughput was reached.
	CodeTooManyCalls = 130429
	// CodeSpamLimit (131048): the number's quality limits sending.
	CodeSpamLimit = 131048
	// CodePairLimit (131056): too many messages to one user at once.
	CodePairLimit = 131056
	// CodeUndeliverable (131026): not a WhatsApp user, or one who cannot
	// get the message.
	CodeUndeliverable = 131026
	// CodeReengagement (131047): more than 24 hours since the user last
	// wrote; only a template can reach them.
	CodeReengagement = 131047
	// CodePolicyBlock (368) and CodeAccountLocked (131031): Meta
	// restricted the business account.
	CodePolicyBlock   = 368
	CodeAccountLocked = 131031
)

// APIError is an error answer of the Graph API.
type APIError struct {
	Status  int
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    struct {
		Details string `json:"details"`
	} `json:"error_data"`
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("cloud api: HTTP %d, code %d: %s", e.Status, e.Code, e.Message)
	if e.Data.Details != "" {
		s += " (" + e.Data.Details + ")"
	}
	return s
}

// retryable reports whether the same request may succeed later: 429,
// 5xx, and the rate-limit codes.
func (e *APIError) retryable() bool {
	switch e.Code {
	case CodeTooManyCalls, CodePairLimit, 4, 80007:
		return true
	}
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// api is the Graph API as this transport calls it.
type api struct {
	base, token, phoneID string
	http                 *http.Client
	// sleep waits between retries; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// retries is how many times a request is tried on 429 and 5xx; the
// waits between tries double from retryWait.
const (
	retries   = 4
	retryWait = time.Second
)

// call sends a request with the token and decodes a JSON answer into
// out (which may be nil), retrying 429 and 5xx with backoff. The
// token is never part of an error.
func (c *api) call(ctx context.Context, method, path, contentType string, body []byte, out any) error {
	wait := retryWait
	for attempt := 1; ; attempt++ {
		err := c.once(ctx, method, path, contentType, body, out)
		var ae *APIError
		if err == nil || attempt == retries || (errors.As(err, &ae) && !ae.retryable()) || ctx.Err() != nil {
			return err
		}
		if serr := c.sleep(ctx, wait); serr != nil {
			return err
		}
		wait *= 2
	}
}

func (c *api) once(ctx context.Context, method, path, contentType string, body []byte, out any) error {
	url := path
	if !strings.HasPrefix(path, "http://") && !strings.HasPrefix(path, "https://") {
		url = c.base + path
	}
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("cloud api %s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		// The URL in a client error carries no token (it is a header).
		return fmt.Errorf("cloud api %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxDownload+1))
	if err != nil {
		return fmt.Errorf("cloud api %s %s: read answer: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error APIError `json:"error"`
		}
		_ = json.Unmarshal(data, &e)
		e.Error.Status = resp.StatusCode
		return &e.Error
	}
	switch o := out.(type) {
	case nil:
		return nil
	case *[]byte:
		if len(data) > maxDownload {
			return fmt.Errorf("cloud api %s %s: over %d bytes", method, path, maxDownload)
		}
		*o = data
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("cloud api %s %s: answer: %w", method, path, err)
	}
	return nil
}

// maxDownload bounds what is read of one answer (a file a user sent).
const maxDownload = 16 << 20

// postJSON posts v as JSON.
func (c *api) postJSON(ctx context.Context, path string, v, out any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("cloud api %s: %w", path, err)
	}
	return c.call(ctx, http.MethodPost, path, "application/json", body, out)
}

// send posts one message to the messages endpoint and returns its id.
func (c *api) send(ctx context.Context, m outMessage) (string, error) {
	m.Product, m.RecipientType = "whatsapp", "individual"
	var out struct {
		Messages []struct {
			ID string `json:"id"`
		} `json:"messages"`
	}
	if err := c.postJSON(ctx, "/"+c.phoneID+"/messages", m, &out); err != nil {
		return "", err
	}
	if len(out.Messages) == 0 {
		return "", errors.New("cloud api: messages: no message id in the answer")
	}
	return out.Messages[0].ID, nil
}

// markRead marks a message the user sent read (blue ticks).
func (c *api) markRead(ctx context.Context, id string) error {
	return c.postJSON(ctx, "/"+c.phoneID+"/messages",
		map[string]string{"messaging_product": "whatsapp", "status": "read", "message_id": id}, nil)
}

// download fetches a file a user sent, of at most max bytes: the media
// endpoint gives its URL and size, and the URL is fetched with the same
// token.
func (c *api) download(ctx context.Context, mediaID string, max int64) ([]byte, error) {
	var info struct {
		URL      string `json:"url"`
		FileSize int64  `json:"file_size"`
	}
	if err := c.call(ctx, http.MethodGet, "/"+mediaID, "", nil, &info); err != nil {
		return nil, fmt.Errorf("media %s: %w", mediaID, err)
	}
	if info.URL == "" {
		return nil, fmt.Errorf("media %s: no url", mediaID)
	}
	if info.FileSize > max {
		return nil, fmt.Errorf("media %s: %d bytes, over %d", mediaID, info.FileSize, max)
	}
	var data []byte
	if err := c.call(ctx, http.MethodGet, info.URL, "", nil, &data); err != nil {
		return nil, fmt.Errorf("media %s: %w", mediaID, err)
	}
	return data, nil
}

// upload stores a file to send and returns its media id.
func (c *api) upload(ctx context.Context, name, mime string, data []byte) (string, error) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("messaging_product", "whatsapp")
	_ = w.WriteField("type", mime)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
	h.Set("Content-Type", mime)
	part, err := w.CreatePart(h)
	if err != nil {
		return "", fmt.Errorf("upload %s: %w", name, err)
	}
	part.Write(data)
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("upload %s: %w", name, err)
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := c.call(ctx, http.MethodPost, "/"+c.phoneID+"/media", w.FormDataContentType(), body.Bytes(), &out); err != nil {
		return "", fmt.Errorf("upload %s: %w", name, err)
	}
	return out.ID, nil
}

// check reads the business number, which proves the token and the
// phone number id.
func (c *api) check(ctx context.Context) error {
	return c.call(ctx, http.MethodGet, "/"+c.phoneID+"?fields=display_phone_number", "", nil, &struct{}{})
}
