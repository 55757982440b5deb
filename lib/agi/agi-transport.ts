/**
 * What an AgiCall needs from the wire: FastAGI writes to its socket, AsyncAGI sends `Action: AGI`. The
 * transport hands answers back with `AgiCall.receive` and tells it about hangups with `AgiCall.hungUp`.
 */
export interface AgiTransport {
  /** Sends one formatted command; `commandId` is unique in the session (AsyncAGI's CommandID). */
  write(command: string, commandId: string): void | Promise<void>;
  /** Ends the session on the wire (FastAGI: close the socket; AsyncAGI: ASYNCAGI BREAK). Idempotent. */
  end(): void | Promise<void>;
}
