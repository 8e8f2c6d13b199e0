// Command rfabot is the participant bot of Run for Autism, Astana. It
// reads the command line and the environment (package config) and runs
// the subcommand (package bot/app); `rfabot --help` lists the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/runforautism/rfabot/bot/app"
	"github.com/runforautism/rfabot/config"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// run is the program: its exit code is 0 on success and after help, 2
// for a command line that cannot be run, and 1 for any other failure.
func run(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := config.Parse(args, getenv, stdout)
	var usage *config.UsageError
	switch {
	case errors.Is(err, config.ErrHelp):
		return 0
	case errors.As(err, &usage):
		fmt.Fprintln(stderr, "rfabot:", err)
		return 2
	case err != nil:
		fmt.Fprintln(stderr, "rfabot:", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := app.Run(ctx, cfg, stdin, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "rfabot:", err)
		return 1
	}
	return 0
}
