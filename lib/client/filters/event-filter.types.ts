/** The client's `eventFilter` option: Asterisk sends this session only the events named here. */
export interface AmiEventFilterOptions {
  /**
   * The event names to receive (matched case-insensitively, like `onEvent`), or a function that returns
   * them, called at each login. `'*'` among them means no filter. The events answering this client's own
   * actions (OriginateResponse, list items) always come through.
   */
  include: readonly string[] | (() => readonly string[]);
}
