/** What the client logs through: any object with Nest's LoggerService methods (Nest's Logger fits). */
export interface AmiLogger {
  log(message: unknown, ...optionalParams: unknown[]): unknown;
  error(message: unknown, ...optionalParams: unknown[]): unknown;
  warn(message: unknown, ...optionalParams: unknown[]): unknown;
  debug?(message: unknown, ...optionalParams: unknown[]): unknown;
  verbose?(message: unknown, ...optionalParams: unknown[]): unknown;
}

const ignore = () => undefined;

/** The default: says nothing. */
export const silentLogger: AmiLogger = {
  log: ignore,
  error: ignore,
  warn: ignore,
  debug: ignore,
  verbose: ignore,
};
