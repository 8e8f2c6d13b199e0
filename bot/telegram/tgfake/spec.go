package tgfake

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// The parameters of the methods the fake serves, as the official Bot API
// reference (https://core.telegram.org/bots/api) types them. Telegram
// itself ignores many mistakes (an unknown parameter, "null" for an
// array); the fake records each as a violation, so a test can insist on
// none (Violations).

type paramType int

const (
	pString paramType = iota
	pInt
	pBool
	pArray
	pObject
	// pChatID is an Integer or a String (@channelusername).
	pChatID
	// pFile is an upload or a file_id or URL.
	pFile
)

var spec = map[string]map[string]paramType{
	"getMe":          {},
	"getWebhookInfo": {},
	"getUpdates":     {"offset": pInt, "limit": pInt, "timeout": pInt, "allowed_updates": pArray},
	"setWebhook": {"url": pString, "certificate": pFile, "ip_address": pString, "max_connections": pInt,
		"allowed_updates": pArray, "drop_pending_updates": pBool, "secret_token": pString},
	"deleteWebhook": {"drop_pending_updates": pBool},
	"sendMessage": {"business_connection_id": pString, "chat_id": pChatID, "message_thread_id": pInt,
		"direct_messages_topic_id": pInt, "text": pString, "parse_mode": pString, "entities": pArray,
		"link_preview_options": pObject, "disable_notification": pBool, "protect_content": pBool,
		"allow_paid_broadcast": pBool, "message_effect_id": pString, "suggested_post_parameters": pObject,
		"reply_parameters": pObject, "reply_markup": pObject},
	"sendDocument": {"business_connection_id": pString, "chat_id": pChatID, "message_thread_id": pInt,
		"direct_messages_topic_id": pInt, "document": pFile, "thumbnail": pFile, "caption": pString,
		"parse_mode": pString, "caption_entities": pArray, "disable_content_type_detection": pBool,
		"disable_notification": pBool, "protect_content": pBool, "allow_paid_broadcast": pBool,
		"message_effect_id": pString, "suggested_post_parameters": pObject, "reply_parameters": pObject,
		"reply_markup": pObject},
	"sendPhoto": {"business_connection_id": pString, "chat_id": pChatID, "message_thread_id": pInt,
		"direct_messages_topic_id": pInt, "photo": pFile, "caption": pString, "parse_mode": pString,
		"caption_entities": pArray, "show_caption_above_media": pBool, "has_spoiler": pBool,
		"disable_notification": pBool, "protect_content": pBool, "allow_paid_broadcast": pBool,
		"message_effect_id": pString, "suggested_post_parameters": pObject, "reply_parameters": pObject,
		"reply_markup": pObject},
	"editMessageText": {"business_connection_id": pString, "chat_id": pChatID, "message_id": pInt,
		"inline_message_id": pString, "text": pString, "parse_mode": pString, "entities": pArray,
		"link_preview_options": pObject, "reply_markup": pObject},
	"editMessageReplyMarkup": {"business_connection_id": pString, "chat_id": pChatID, "message_id": pInt,
		"inline_message_id": pString, "reply_markup": pObject},
	"answerCallbackQuery": {"callback_query_id": pString, "text": pString, "show_alert": pBool, "url": pString,
		"cache_time": pInt},
	"getFile":       {"file_id": pString},
	"setMyCommands": {"commands": pArray, "scope": pObject, "language_code": pString},
}

// updateTypes are the update types allowed_updates may name.
var updateTypes = map[string]bool{
	"message": true, "edited_message": true, "channel_post": true, "edited_channel_post": true,
	"business_connection": true, "business_message": true, "edited_business_message": true,
	"deleted_business_messages": true, "message_reaction": true, "message_reaction_count": true,
	"inline_query": true, "chosen_inline_result": true, "callback_query": true, "shipping_query": true,
	"pre_checkout_query": true, "purchased_paid_media": true, "poll": true, "poll_answer": true,
	"my_chat_member": true, "chat_member": true, "chat_join_request": true, "chat_boost": true,
	"removed_chat_boost": true,
}

// violations are what is wrong with a call's parameters against the
// reference, one sentence each.
func violations(method string, params map[string][]string) []string {
	want, known := spec[method]
	if !known {
		return nil
	}
	names := make([]string, 0, len(params))
	for k := range params {
		if !strings.HasSuffix(k, ".filename") {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var out []string
	for _, name := range names {
		v := params[name][0]
		typ, ok := want[name]
		if !ok {
			out = append(out, fmt.Sprintf("%s: unknown parameter %s", method, name))
			continue
		}
		if problem := typeProblem(typ, v); problem != "" {
			out = append(out, fmt.Sprintf("%s: %s %s", method, name, problem))
		}
		if name == "allowed_updates" {
			var types []string
			json.Unmarshal([]byte(v), &types)
			for _, t := range types {
				if !updateTypes[t] {
					out = append(out, fmt.Sprintf("%s: allowed_updates names no update type %q", method, t))
				}
			}
		}
	}
	return out
}

// typeProblem says how v is not of type t, "" when it is.
func typeProblem(t paramType, v string) string {
	switch t {
	case pInt:
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return fmt.Sprintf("is %q, not an Integer", v)
		}
	case pChatID:
		if _, err := strconv.ParseInt(v, 10, 64); err != nil && !strings.HasPrefix(v, "@") {
			return fmt.Sprintf("is %q, neither an Integer nor a @username", v)
		}
	case pBool:
		if v != "true" && v != "false" {
			return fmt.Sprintf("is %q, not a Boolean", v)
		}
	case pArray:
		var a []json.RawMessage
		if err := json.Unmarshal([]byte(v), &a); err != nil || a == nil {
			return fmt.Sprintf("is %q, not a JSON-serialized array", v)
		}
	case pObject:
		var o map[string]json.RawMessage
		if err := json.Unmarshal([]byte(v), &o); err != nil || o == nil {
			return fmt.Sprintf("is %q, not a JSON-serialized object", v)
		}
	}
	return ""
}

// Violations are the parameters of the bot's calls so far that the Bot
// API reference does not allow: an unknown name, a value of the wrong
// type ("null" where an array belongs), an unknown update type.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, c := range s.calls {
		out = append(out, violations(c.Method, c.Params)...)
	}
	return out
}
