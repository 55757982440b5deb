import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { AmiHealthIndicator } from 'nestjs-ami';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly ami: AmiHealthIndicator,
  ) {}

  /** 200 when the AMI connection is logged in and answers a Ping; 503 otherwise. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.ami.isHealthy('ami')]);
  }
}
