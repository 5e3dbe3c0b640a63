// One kind of error for the facilitator: its message is one sentence that names the cause and
// the fix, and every command prints it as it is, without a stack trace. Anything else is a bug
// and is shown in full.
export class KitError extends Error {}

/** The kit cannot start (or a command cannot open the results) for a reason the user can fix. */
export class StartupError extends KitError {}
