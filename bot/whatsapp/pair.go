package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/mdp/qrterminal/v3"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/runforautism/rfabot/flows"
)

// DeviceName is how the bot shows under Linked devices on its phone.
const DeviceName = "Run for Autism bot"

// ErrPairTimeout means no phone linked the bot while the codes lasted.
var ErrPairTimeout = errors.New("pairing timed out: no phone linked the bot while the codes were valid; run `rfabot whatsapp-pair` again")

// connectWait is how long pairing waits for WhatsApp to answer a
// connection.
const connectWait = time.Minute

// PairConfig is what pairing needs.
type PairConfig struct {
	// Path is the session store, DATA_DIR/whatsapp.db.
	Path string
	// Phone, when set, is the bot's own number (+77011234567): a pairing
	// code is shown too, for linking with the phone number instead of
	// scanning.
	Phone string
	// Out gets the QR codes and what happened.
	Out io.Writer
	Log *slog.Logger
}

// Pair links the bot to a WhatsApp number as a linked device and keeps
// the session in cfg.Path. It shows a QR code to scan (and a pairing
// code when cfg.Phone is set) and says whether pairing succeeded or
// timed out. A session that is still linked is left alone; one that was
// logged out from the phone is replaced.
func Pair(ctx context.Context, cfg PairConfig) error {
	var phone string
	if cfg.Phone != "" {
		p, err := flows.ParsePhone(cfg.Phone)
		if err != nil {
			return fmt.Errorf("--phone: %q is not a phone number like +77011234567", cfg.Phone)
		}
		phone = p
	}
	if err := os.MkdirAll(filepath.Dir(cfg.Path), 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	st, err := OpenStore(ctx, cfg.Path, cfg.Log)
	if err != nil {
		return err
	}
	defer st.Close()
	dev, err := st.GetFirstDevice(ctx)
	if err != nil {
		return fmt.Errorf("read whatsapp session from %s: %w", cfg.Path, err)
	}
	if dev.ID != nil {
		number := "+" + dev.ID.User
		linked, err := stillLinked(ctx, whatsmeow.NewClient(dev, waLogger(cfg.Log, "check")))
		if err != nil {
			return fmt.Errorf("check the session of %s: %w", number, err)
		}
		if linked {
			fmt.Fprintf(cfg.Out, "Already paired as %s. To link another number, remove %q under Linked devices on that phone, then run whatsapp-pair again.\n", number, DeviceName)
			return nil
		}
		fmt.Fprintf(cfg.Out, "The session of %s was logged out from the phone. Pairing anew.\n", number)
		dev = st.NewDevice()
	}
	store.SetOSInfo(DeviceName, [3]uint32{1, 0, 0})
	cli := whatsmeow.NewClient(dev, waLogger(cfg.Log, "pair"))
	items, err := cli.GetQRChannel(ctx)
	if err != nil {
		return fmt.Errorf("start pairing: %w", err)
	}
	connected := make(chan struct{})
	var once sync.Once
	cli.AddEventHandler(func(evt any) {
		if _, ok := evt.(*events.Connected); ok {
			once.Do(func() { close(connected) })
		}
	})
	if err := cli.Connect(); err != nil {
		return fmt.Errorf("connect to whatsapp: %w", err)
	}
	defer cli.Disconnect()
	var phoneCode func(context.Context) (string, error)
	if phone != "" {
		phoneCode = func(ctx context.Context) (string, error) {
			return cli.PairPhone(ctx, phone, true, whatsmeow.PairClientChrome, "Chrome (Linux)")
		}
	}
	if err := showPairing(ctx, items, cfg.Out, phoneCode); errors.Is(err, context.Canceled) {
		return errors.New("pairing cancelled")
	} else if err != nil {
		return err
	}
	// After pairing, WhatsApp closes the connection and the client logs
	// in anew; the session is complete once that login went through.
	select {
	case <-connected:
	case <-time.After(connectWait):
		fmt.Fprintln(cfg.Out, "The first login after pairing has not finished yet; `rfabot serve` will finish it.")
	case <-ctx.Done():
		return ctx.Err()
	}
	fmt.Fprintf(cfg.Out, "Paired as +%s. Start the bot with `rfabot serve`.\n", cli.Store.ID.User)
	return nil
}

// stillLinked connects with a stored session and reports whether the
// phone still has it linked; WhatsApp answers a session logged out from
// the phone with LoggedOut, and whatsmeow then deletes it from the
// store.
func stillLinked(ctx context.Context, cli *whatsmeow.Client) (bool, error) {
	result := make(chan error, 1)
	cli.AddEventHandler(func(evt any) {
		var r error
		switch e := evt.(type) {
		case *events.Connected:
		case *events.LoggedOut:
			r = errLoggedOut
		case *events.TemporaryBan:
			r = fmt.Errorf("the number is temporarily banned (%s)", e.String())
		case *events.ClientOutdated:
			r = errors.New("WhatsApp refused this client version: update go.mau.fi/whatsmeow and rebuild")
		case *events.StreamReplaced:
			r = errors.New("another program is connected with this session: stop it first")
		case *events.ConnectFailure:
			r = fmt.Errorf("connect failed: %s", e.Reason)
		default:
			return
		}
		select {
		case result <- r:
		default:
		}
	})
	if err := cli.Connect(); err != nil {
		return false, fmt.Errorf("connect to whatsapp: %w", err)
	}
	defer cli.Disconnect()
	select {
	case err := <-result:
		if errors.Is(err, errLoggedOut) {
			return false, nil
		}
		return err == nil, err
	case <-time.After(connectWait):
		return false, errors.New("WhatsApp did not answer in time; check the network and try again")
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

var errLoggedOut = errors.New("logged out")

// showPairing writes each QR code whatsmeow hands out, and the pairing
// code from phoneCode (when set) once, until pairing ends. It returns
// nil when pairing succeeded, ErrPairTimeout when the codes ran out.
func showPairing(ctx context.Context, items <-chan whatsmeow.QRChannelItem, out io.Writer, phoneCode func(context.Context) (string, error)) error {
	first := true
	for {
		var item whatsmeow.QRChannelItem
		var ok bool
		select {
		case <-ctx.Done():
			return ctx.Err()
		case item, ok = <-items:
		}
		if !ok {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return errors.New("pairing stopped before it finished; run `rfabot whatsapp-pair` again")
		}
		switch item.Event {
		case whatsmeow.QRChannelEventCode:
			fmt.Fprintln(out, "On the bot's phone, open WhatsApp: Settings → Linked devices → Link a device, and scan:")
			qrterminal.GenerateWithConfig(item.Code, qrterminal.Config{
				Level: qrterminal.L, Writer: out, HalfBlocks: true, QuietZone: 2,
				BlackChar: qrterminal.BLACK_BLACK, WhiteBlackChar: qrterminal.WHITE_BLACK,
				WhiteChar: qrterminal.WHITE_WHITE, BlackWhiteChar: qrterminal.BLACK_WHITE,
			})
			fmt.Fprintf(out, "A new code follows in %s.\n", item.Timeout)
			if first && phoneCode != nil {
				code, err := phoneCode(ctx)
				if err != nil {
					fmt.Fprintf(out, "No pairing code for the number (%v); scan the QR code instead.\n", err)
				} else {
					fmt.Fprintf(out, "Or tap \"Link with phone number instead\" on the phone and enter: %s\n", code)
				}
			}
			first = false
		case whatsmeow.QRChannelSuccess.Event:
			fmt.Fprintln(out, "Pairing succeeded.")
			return nil
		case whatsmeow.QRChannelTimeout.Event:
			return ErrPairTimeout
		case whatsmeow.QRChannelEventError:
			return fmt.Errorf("pairing failed: %w", item.Error)
		case whatsmeow.QRChannelClientOutdated.Event:
			return errors.New("pairing failed: WhatsApp refused this client version; update go.mau.fi/whatsmeow and rebuild")
		case whatsmeow.QRChannelScannedWithoutMultidevice.Event:
			fmt.Fprintln(out, "The phone's WhatsApp is too old to link devices: update it and scan again.")
		default:
			return fmt.Errorf("pairing stopped: WhatsApp answered %q; run `rfabot whatsapp-pair` again", strings.TrimPrefix(item.Event, "err-"))
		}
	}
}
