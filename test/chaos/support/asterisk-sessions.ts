import { cli } from '../../e2e/support/asterisk-target.js';

/** AMI sessions Asterisk holds open, from `manager show connected` ("N users connected."). */
export async function asteriskSessions(): Promise<number> {
  const output = await cli('manager show connected');
  const match = /(\d+) users? connected/.exec(output);
  if (match === null) throw new Error(`unexpected "manager show connected" output: ${output}`);
  return Number(match[1]);
}
