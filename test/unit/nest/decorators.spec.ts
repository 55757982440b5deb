import {
  getAmiEventHandlerMetadata,
  OnAmiEvent,
} from '../../../lib/nest/decorators/on-ami-event.decorator.js';
import {
  getAmiLifecycleHandlerMetadata,
  OnAmiDisconnected,
  OnAmiLifecycle,
  OnAmiLoginFailed,
} from '../../../lib/nest/decorators/on-ami-lifecycle.decorator.js';
import type { AmiLifecycleKind } from '../../../lib/nest/index.js';

describe('handler decorators', () => {
  it('stack their metadata on the method, in application order (bottom first)', () => {
    class Listener {
      @OnAmiEvent('Hangup', { connection: 'pbx2' })
      @OnAmiEvent(['DialBegin', 'DialEnd'])
      handle() {}
    }
    expect(getAmiEventHandlerMetadata(Listener.prototype.handle)).toEqual([
      { events: ['DialBegin', 'DialEnd'], options: {} },
      { events: ['Hangup'], options: { connection: 'pbx2' } },
    ]);
  });

  it('do not leak to a subclass method that overrides without decorating', () => {
    class Base {
      @OnAmiEvent('Hangup')
      handle() {}
    }
    class Derived extends Base {
      override handle() {}
    }
    expect(getAmiEventHandlerMetadata(Base.prototype.handle)).toHaveLength(1);
    expect(getAmiEventHandlerMetadata(Derived.prototype.handle)).toEqual([]);
  });

  it('refuse no name, blank names and bad lifecycle kinds with a TypeError', () => {
    expect(() => OnAmiEvent([])).toThrow(TypeError);
    expect(() => OnAmiEvent('  ')).toThrow(/one or more event names/);
    expect(() => OnAmiLifecycle('connecting' as AmiLifecycleKind)).toThrow(
      /connected, disconnected, reconnecting, loginFailed/,
    );
  });

  it('refuse to decorate something that is not a method', () => {
    const decorate = OnAmiEvent('Hangup');
    expect(() => decorate(class Listener {}.prototype, 'value', { value: 42 } as never)).toThrow(
      /@OnAmiEvent decorates methods; Listener.value is not one/,
    );
  });

  it('lifecycle shortcuts store their kind and options', () => {
    class Watcher {
      @OnAmiDisconnected({ connection: 'pbx2' })
      @OnAmiLoginFailed()
      alert() {}
    }
    expect(getAmiLifecycleHandlerMetadata(Watcher.prototype.alert)).toEqual([
      { kinds: ['loginFailed'], options: {} },
      { kinds: ['disconnected'], options: { connection: 'pbx2' } },
    ]);
  });
});
