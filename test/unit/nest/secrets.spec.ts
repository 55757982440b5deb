import { inspect } from 'node:util';
import { Test } from '@nestjs/testing';
import { AmiModule, AmiService } from '../../../lib/nest/index.js';

const SECRET = 'Nest-Sup3r-S3cret';

describe('AmiModule: what the app holds never shows the secret', () => {
  it('AmiService (and the client in it) inspected at any depth, or serialized', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AmiModule.forRoot({ username: 'nestjs', secret: SECRET, keepAlive: false, reconnect: false }),
      ],
    }).compile();
    const service = moduleRef.get(AmiService);
    const views = [
      inspect(service),
      inspect(service, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      JSON.stringify(service.client),
    ];
    expect(views[1]).toContain('AmiClient');
    for (const view of views) expect(view).not.toContain(SECRET);
  });
});
