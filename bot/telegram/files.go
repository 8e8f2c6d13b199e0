package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/runforautism/rfabot/bot"
	"github.com/runforautism/rfabot/dialog"
	"github.com/runforautism/rfabot/flows"
)

// Files in messages: a document or photo a user sends is downloaded
// (getFile, then the file URL) into the flows' Attachment; a reply's
// Document goes after its text as a photo or a document, uploaded as
// bytes.

// downloadTimeout bounds getFile and the download of one file a user
// sent, retries included; the user's later messages wait behind it.
const downloadTimeout = 30 * time.Second

// apiTail ends an API endpoint in the client library's format; the file
// endpoint is the same with "/file" before it.
const apiTail = "/bot%s/%s"

// fileEndpoint is where the files of the Bot API at endpoint are
// downloaded from, formatted with the token and the file path:
// "https://api.telegram.org/bot%s/%s" gives
// "https://api.telegram.org/file/bot%s/%s". The library's FileEndpoint
// is Telegram's own whatever the API endpoint, so it is derived here.
func fileEndpoint(endpoint string) (string, error) {
	base, ok := strings.CutSuffix(endpoint, apiTail)
	if !ok {
		return "", fmt.Errorf("telegram: the API endpoint %q must end in %q (the file downloads are found beside it)", endpoint, apiTail)
	}
	return base + "/file" + apiTail, nil
}

// errTooBig is a file over flows.MaxAttachment; not worth a retry.
var errTooBig = fmt.Errorf("file over %d bytes: %w", flows.MaxAttachment, bot.ErrRejected)

// incoming is a file a user sent: the Attachment flows get (without
// Data yet), whether it is a photo, and where to fetch it.
type incoming struct {
	att   *dialog.Attachment
	photo bool
	id    string
	// size is the size Telegram tells, 0 when it does not.
	size int
}

// fileOf is the file m carries: a document, or the largest size of a
// photo; nil for anything else. A GIF comes as an animation with a
// document beside it: it is no file the bot takes.
func fileOf(m *tgbotapi.Message) *incoming {
	switch {
	case m.Animation != nil:
		return nil
	case m.Document != nil:
		d := m.Document
		return &incoming{att: &dialog.Attachment{Name: d.FileName, MIME: d.MimeType}, id: d.FileID, size: d.FileSize}
	case len(m.Photo) > 0:
		big := m.Photo[0]
		for _, p := range m.Photo[1:] {
			if p.Width*p.Height >= big.Width*big.Height {
				big = p
			}
		}
		return &incoming{att: &dialog.Attachment{MIME: "image/jpeg"}, photo: true, id: big.FileID, size: big.FileSize}
	}
	return nil
}

// fetch downloads f into its Attachment. A file over flows.MaxAttachment
// is not downloaded, and one whose download fails is handed in without
// its bytes: the flows ask for a smaller one or to send it again.
func (b *Bot) fetch(f *incoming, update int) *dialog.Attachment {
	if f.size > flows.MaxAttachment {
		b.log.Info("file over the limit, not downloaded", "update", update, "bytes", f.size)
		return f.att
	}
	ctx, cancel := context.WithTimeout(b.sends, downloadTimeout)
	defer cancel()
	data, err := b.download(ctx, f.id)
	switch {
	case errors.Is(err, errTooBig):
		b.log.Info("file over the limit", "update", update)
	case err != nil:
		b.log.Warn("could not download a file", "update", update, "err", err)
	default:
		f.att.Data = data
	}
	return f.att
}

// download asks getFile for the file's path and fetches it from the
// file endpoint, retrying what can be retried.
func (b *Bot) download(ctx context.Context, fileID string) ([]byte, error) {
	var file tgbotapi.File
	err := b.retry(ctx, func() error {
		resp, err := b.request(ctx, "getFile", tgbotapi.FileConfig{FileID: fileID})
		if err != nil {
			return err
		}
		if err := json.Unmarshal(resp.Result, &file); err != nil {
			return &apiError{method: "getFile", reason: "read the answer: " + err.Error(), cause: bot.ErrRejected}
		}
		return nil
	})
	switch {
	case err != nil:
		return nil, err
	case file.FileSize > flows.MaxAttachment:
		return nil, errTooBig
	case file.FilePath == "":
		return nil, &apiError{method: "getFile", reason: "no file path in the answer", cause: bot.ErrRejected}
	}
	var data []byte
	err = b.retry(ctx, func() error {
		var err error
		data, err = b.get(ctx, file.FilePath)
		return err
	})
	return data, err
}

// get downloads one file by its path. Errors never show the URL's token.
func (b *Bot) get(ctx context.Context, filePath string) ([]byte, error) {
	const method = "file download"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf(b.fileEndpoint, b.cfg.Token, filePath), nil)
	if err != nil {
		return nil, &apiError{method: method, reason: b.redact(err.Error()), cause: bot.ErrRejected}
	}
	resp, err := b.http.Do(req)
	if err != nil {
		return nil, &apiError{method: method, reason: b.redact(err.Error())}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		e := &apiError{method: method, code: resp.StatusCode, reason: resp.Status}
		if resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests {
			e.cause = bot.ErrRejected
		}
		return nil, e
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, flows.MaxAttachment+1))
	switch {
	case err != nil:
		return nil, &apiError{method: method, reason: b.redact(err.Error())}
	case len(data) > flows.MaxAttachment:
		return nil, errTooBig
	}
	return data, nil
}

// sendFile sends d as a message of its own: a picture (image/*) with
// sendPhoto, anything else with sendDocument, uploaded as bytes under
// its file name, with markup (nil: none). A picture Telegram refuses as
// a photo (too long or too wide, a format it cannot read) goes as a
// document instead.
func (b *Bot) sendFile(ctx context.Context, chatID int64, d *dialog.Document, paid bool, markup any, try func(context.Context, func() error) error) error {
	send := func(method, field string) error {
		return try(ctx, func() error { return b.upload(ctx, method, field, chatID, d, paid, markup) })
	}
	if !strings.HasPrefix(d.MIME, "image/") {
		return send("sendDocument", "document")
	}
	err := send("sendPhoto", "photo")
	var ae *apiError
	if errors.As(err, &ae) && errors.Is(err, bot.ErrRejected) {
		b.log.Warn("telegram refused a picture as a photo; sending it as a document", "user", chatID, "reason", ae.reason)
		err = send("sendDocument", "document")
	}
	return err
}

// upload makes one request that uploads d as the parameter field.
func (b *Bot) upload(ctx context.Context, method, field string, chatID int64, d *dialog.Document, paid bool, markup any) error {
	params := tgbotapi.Params{}
	params.AddNonZero64("chat_id", chatID)
	params.AddBool("allow_paid_broadcast", paid)
	if err := params.AddInterface("reply_markup", markup); err != nil {
		return &apiError{method: method, reason: "encode the keyboard: " + err.Error(), cause: bot.ErrRejected}
	}
	name := d.Name
	if name == "" {
		name = "file"
	}
	api, cancel := b.client(ctx, callTimeout)
	defer cancel()
	resp, err := api.UploadFiles(method, params, []tgbotapi.RequestFile{{Name: field, Data: tgbotapi.FileBytes{Name: name, Bytes: d.Data}}})
	var te *tgbotapi.Error
	if errors.As(err, &te) && te.Code == 0 && resp != nil {
		// The library leaves the error code out of an upload's error;
		// the answer has it.
		te.Code = resp.ErrorCode
	}
	return b.classify(method, err)
}
