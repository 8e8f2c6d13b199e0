package tgfake

// The JSON shapes of the Bot API objects the fake sends, with the field
// names Telegram uses.

type wireUser struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

type wireChat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	FirstName string `json:"first_name,omitempty"`
	Title     string `json:"title,omitempty"`
}

type wireEntity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

type wireContact struct {
	PhoneNumber string `json:"phone_number"`
	FirstName   string `json:"first_name"`
	UserID      int64  `json:"user_id,omitempty"`
}

type wirePhoto struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size,omitempty"`
}

type wireSticker struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	IsAnimated   bool   `json:"is_animated"`
	Emoji        string `json:"emoji,omitempty"`
}

type wireDocument struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int    `json:"file_size,omitempty"`
}

// wireFile is what getFile answers.
type wireFile struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int    `json:"file_size,omitempty"`
	FilePath     string `json:"file_path,omitempty"`
}

type wireButton struct {
	Text           string  `json:"text"`
	CallbackData   *string `json:"callback_data,omitempty"`
	URL            *string `json:"url,omitempty"`
	RequestContact bool    `json:"request_contact,omitempty"`
}

type wireMarkup struct {
	InlineKeyboard [][]wireButton `json:"inline_keyboard,omitempty"`
	Keyboard       [][]wireButton `json:"keyboard,omitempty"`
	ResizeKeyboard bool           `json:"resize_keyboard,omitempty"`
	OneTime        bool           `json:"one_time_keyboard,omitempty"`
	RemoveKeyboard bool           `json:"remove_keyboard,omitempty"`
	ForceReply     bool           `json:"force_reply,omitempty"`
}

type wireMessage struct {
	MessageID   int           `json:"message_id"`
	From        *wireUser     `json:"from,omitempty"`
	Chat        wireChat      `json:"chat"`
	Date        int64         `json:"date"`
	EditDate    int64         `json:"edit_date,omitempty"`
	Text        string        `json:"text,omitempty"`
	Entities    []wireEntity  `json:"entities,omitempty"`
	Caption     string        `json:"caption,omitempty"`
	Contact     *wireContact  `json:"contact,omitempty"`
	Photo       []wirePhoto   `json:"photo,omitempty"`
	Sticker     *wireSticker  `json:"sticker,omitempty"`
	Document    *wireDocument `json:"document,omitempty"`
	ReplyMarkup *wireMarkup   `json:"reply_markup,omitempty"`
}

type wireCallback struct {
	ID           string       `json:"id"`
	From         wireUser     `json:"from"`
	Message      *wireMessage `json:"message,omitempty"`
	ChatInstance string       `json:"chat_instance"`
	Data         string       `json:"data,omitempty"`
}

type wireUpdate struct {
	UpdateID      int           `json:"update_id"`
	Message       *wireMessage  `json:"message,omitempty"`
	EditedMessage *wireMessage  `json:"edited_message,omitempty"`
	CallbackQuery *wireCallback `json:"callback_query,omitempty"`
}

// kind is the update type as allowed_updates names it.
func (u wireUpdate) kind() string {
	switch {
	case u.CallbackQuery != nil:
		return "callback_query"
	case u.EditedMessage != nil:
		return "edited_message"
	}
	return "message"
}

type wireCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

type wireResponse struct {
	OK          bool            `json:"ok"`
	Result      any             `json:"result,omitempty"`
	ErrorCode   int             `json:"error_code,omitempty"`
	Description string          `json:"description,omitempty"`
	Parameters  *wireParameters `json:"parameters,omitempty"`
}

type wireParameters struct {
	RetryAfter int `json:"retry_after,omitempty"`
}
