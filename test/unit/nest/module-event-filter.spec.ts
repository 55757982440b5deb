import { AmiInvalidEventFilterError } from '../../../lib/client.js';
import { AmiConnectionRegistry } from '../../../lib/nest/ami-connection.registry.js';
import { AmiDispatcher } from '../../../lib/nest/dispatch/ami-dispatcher.js';
import type { EventHandlerRegistration } from '../../../lib/nest/dispatch/handler-registration.js';
import { moduleEventFilter } from '../../../lib/nest/filters/module-event-filter.js';
import { RecordingLogger } from './support/recording-logger.js';

const handler = (events: string[], delivery?: 'once' | 'every' | 'leader'): EventHandlerRegistration => ({
  className: 'Handlers',
  methodName: 'on',
  invoke: () => undefined,
  events,
  options: { delivery },
});

function setUp(clustered = false) {
  const registry = new AmiConnectionRegistry();
  const dispatcher = new AmiDispatcher('default', new RecordingLogger(), undefined, clustered);
  registry.register({ name: 'default', dispatcher, logger: new RecordingLogger() });
  const warnings: string[] = [];
  const filter = moduleEventFilter('handled', 'default', registry, (line) => warnings.push(line));
  if (typeof filter?.include !== 'function') throw new Error("'handled' gives a function");
  const names = filter.include;
  const include = () => [...names()].sort();
  return { dispatcher, warnings, include };
}

describe("AmiModule eventFilter: 'handled'", () => {
  it("is the handlers' and observers' names at each login, every delivery mode of cluster mode included", () => {
    const { dispatcher, warnings, include } = setUp(true);
    dispatcher.addEventHandler(handler(['Hangup']));
    dispatcher.addEventHandler(handler(['DialBegin', 'hangup'], 'every'));
    dispatcher.addEventHandler(handler(['QueueCallerJoin'], 'leader'));
    dispatcher.markReady();
    expect(include()).toEqual(['dialbegin', 'hangup', 'queuecallerjoin']);
    const stop = dispatcher.observe('UserEvent', () => undefined);
    expect(include()).toContain('userevent');
    stop();
    expect(include()).not.toContain('userevent');
    expect(warnings).toEqual([]);
  });

  it("no filter, and one warning, when something wants every event: a '*' handler or observer, the bridge", () => {
    const { dispatcher, warnings, include } = setUp();
    dispatcher.addEventHandler(handler(['Hangup']));
    dispatcher.markReady();
    const stop = dispatcher.observe('*', () => undefined);
    expect(include()).toEqual(['*']);
    stop();
    dispatcher.setPublisher(() => undefined);
    expect(include()).toEqual(['*']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("'*' handler");
  });

  it('no filter when the client logs in before the handlers are wired (a connect by hand in onModuleInit)', () => {
    const { dispatcher, warnings, include } = setUp();
    dispatcher.addEventHandler(handler(['Hangup']));
    expect(include()).toEqual(['*']);
    expect(warnings[0]).toContain('before the handlers were wired');
  });

  it("refuses a string other than 'handled'", () => {
    const build = () =>
      moduleEventFilter('all' as 'handled', 'x', new AmiConnectionRegistry(), () => undefined);
    expect(build).toThrow(AmiInvalidEventFilterError);
  });
});
