import type { CommandName } from './args.js';

const CONNECTION = `Connection (a flag wins over its variable):
  --host HOST          AMI_HOST       default 127.0.0.1
  -p, --port PORT      AMI_PORT       default 5038, or 5039 with --tls
  -u, --username NAME  AMI_USERNAME   required
  --secret SECRET      AMI_SECRET     required; prefer the variable (flags show in the process list)
  --md5                AMI_MD5=1      log in by MD5 challenge: the secret never crosses the wire
  --tls                AMI_TLS=1      AMI over TLS; the certificate is verified
  --ca FILE            AMI_CA         CA certificate (PEM) to verify the server with
  --insecure                          do not verify the certificate (tests only)
  --timeout SECONDS                   connect, login and action timeout; default 10
  -h, --help                          this help`;

const EXIT_CODES = `Exit codes: 0 done, 1 the action failed, 2 bad usage, 3 connection or login failed.`;

const MAIN = `nestjs-ami: the Asterisk Manager Interface from the command line

Usage:
  nestjs-ami watch [PATTERN...] [--json] [--out FILE] [--count N]   print events live
  nestjs-ami send Action=NAME [Key=Value...] [--json]                send one action
  nestjs-ami command "CLI COMMAND"                                   run an Asterisk CLI command
  nestjs-ami help COMMAND | COMMAND --help                           details of a command
  nestjs-ami --version

Example:
  AMI_USERNAME=admin AMI_SECRET=... nestjs-ami watch 'Hangup,Dial*'

${CONNECTION}

${EXIT_CODES}`;

const WATCH = `nestjs-ami watch: print events as they arrive, one line each, until Ctrl-C

Usage: nestjs-ami watch [PATTERN...] [flags]

Patterns select events by name: case-insensitive, * for any run of characters, ? for one;
several as separate arguments or comma separated ('Hangup,Dial*' 'New*'). None: every event.

Flags:
  --exclude PATTERNS   hide these events (repeatable, comma separated), e.g. --exclude 'VarSet,Newexten'
  --json               one JSON object per line instead of the readable form
  -o, --out FILE       append every event received (whatever the patterns) to FILE as JSON lines,
                       each written at once, so nothing is lost on Ctrl-C
  -n, --count N        stop after printing N events
  --events CLASSES     event classes Asterisk sends, e.g. call,system (default: all; "off" for none)

Readable line: time received, event name, then every header as Key=value; values with spaces,
quotes or = are double-quoted:
  14:02:11.123 Hangup Channel=Local/100@test-00000001;1 Cause=16 Cause-txt="Normal Clearing"

The connection is re-established after a loss (a note goes to stderr). Ctrl-C or SIGTERM logs off
and exits 0.

${CONNECTION}

${EXIT_CODES}`;

const SEND = `nestjs-ami send: send one action and print its response (and the items of a list)

Usage: nestjs-ami send Action=NAME [Key=Value...] [flags]
       nestjs-ami send NAME [Key=Value...] [flags]

Each Key=Value is a header (split at the first =); a repeated key sends the header once per value,
e.g. Variable=A=1 Variable=B=2. ActionID is set by nestjs-ami.

Output: the response as Key: Value lines; for a list action (CoreShowChannels, QueueStatus...)
each item and the closing event follow, separated by blank lines.

Flags:
  --json   one JSON document: {"response": {...}, "events": [...], "complete": {...}}

Examples:
  nestjs-ami send Action=Ping
  nestjs-ami send CoreShowChannels
  nestjs-ami send Action=Hangup Channel=PJSIP/alice-00000001 Cause=16

${CONNECTION}

${EXIT_CODES}`;

const COMMAND = `nestjs-ami command: run an Asterisk CLI command and print its output

Usage: nestjs-ami command "CLI COMMAND" [flags]
       (several words are joined with spaces: nestjs-ami command core show channels)

Example:
  nestjs-ami command "core show channels"

${CONNECTION}

${EXIT_CODES}`;

const BY_COMMAND: Readonly<Record<CommandName, string>> = { watch: WATCH, send: SEND, command: COMMAND };

export function helpText(command?: CommandName): string {
  return command === undefined ? MAIN : BY_COMMAND[command];
}
