import { ConfigService } from '@nestjs/config';
import { clusterFromEnvironment } from '../../../sample/config/sample-config.js';

const settings = (values: Record<string, string>) => clusterFromEnvironment(new ConfigService(values));

describe("the sample's cluster settings", () => {
  it('are off without REDIS_URL (or with a blank one): one process, as npm start runs it', () => {
    expect(settings({})).toBeNull();
    expect(settings({ REDIS_URL: '  ', AMI_CLUSTER_GROUP: 'billing' })).toBeNull();
  });

  it("name REDIS_URL's Redis and the group AMI_CLUSTER_GROUP, 'sample' by default", () => {
    expect(settings({ REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual({
      redis: 'redis://127.0.0.1:6379',
      group: 'sample',
    });
    expect(settings({ REDIS_URL: 'redis://r:6379', AMI_CLUSTER_GROUP: 'billing' })).toEqual({
      redis: 'redis://r:6379',
      group: 'billing',
    });
  });
});
