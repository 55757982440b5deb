import { CliUsageError } from './usage-error.js';

/** `--events`: `on`/`all` (default), `off`/`none`, or a class list such as `call,system`. */
export function eventClasses(text: string | undefined): boolean | string[] {
  if (text === undefined) return true;
  const classes = text
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (classes.length === 1 && (classes[0] === 'on' || classes[0] === 'all')) return true;
  if (classes.length === 1 && (classes[0] === 'off' || classes[0] === 'none')) return false;
  if (classes.length === 0 || classes.some((name) => !/^[a-z_]+$/.test(name))) {
    throw new CliUsageError(`--events takes class names such as call,system (or on, off), got "${text}"`);
  }
  return classes;
}
