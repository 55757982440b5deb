import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, rig } from '../../e2e/support/asterisk-target.js';

/**
 * A manager user added to the rig's manager.conf for one test, whose secret can change while its
 * sessions live (what an operator rotating the secret does). The rig reinstalls its configuration at
 * every start, so a leftover never outlives the next restart.
 */
export class TemporaryManagerUser {
  private constructor(
    readonly username: string,
    private readonly file: string,
    private readonly original: string,
  ) {}

  static async create(username: string, secret: string): Promise<TemporaryManagerUser> {
    const file = join((await rig('root')).trim(), 'etc/asterisk/manager.conf');
    const original = readFileSync(file, 'utf8');
    const user = new TemporaryManagerUser(username, file, original);
    await user.install(secret);
    return user;
  }

  /** Asterisk keeps the sessions already logged in; only new logins meet the new secret. */
  async changeSecret(secret: string): Promise<void> {
    await this.install(secret);
  }

  async remove(): Promise<void> {
    writeFileSync(this.file, this.original);
    await cli('manager reload');
  }

  private async install(secret: string): Promise<void> {
    const section = [
      `[${this.username}]`,
      `secret = ${secret}`,
      'deny = 0.0.0.0/0.0.0.0',
      'permit = 127.0.0.1/255.255.255.255',
      'read = system,call',
      'write = system,call,originate',
    ].join('\n');
    writeFileSync(this.file, `${this.original}\n${section}\n`);
    await cli('manager reload');
  }
}
