import { BadRequestException } from '@nestjs/common';

/** The body of POST /calls. */
export interface OriginateRequest {
  /** Who is called first: a dial string such as `PJSIP/alice` or `Local/100@test`. */
  channel: string;
  /** Where the answered channel goes: dialplan context and extension. */
  context: string;
  exten: string;
  /** Default 1. */
  priority: number;
  /** Shown to the called party: `"Name" <number>` or a number. */
  callerId?: string;
  /** How long the first channel may ring, in ms. Default 30 000. */
  timeout: number;
}

const DIAL_STRING = /^[A-Za-z][\w-]*\/[^\s,]+$/;
const DIALPLAN_NAME = /^[^\s,|]+$/;

/** Checks the request body; anything wrong is a 400 that says which field and why. */
export function parseOriginateRequest(body: unknown): OriginateRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BadRequestException('The body must be a JSON object');
  }
  const fields = body as Record<string, unknown>;
  const request: OriginateRequest = {
    channel: text(fields, 'channel', DIAL_STRING, 'a dial string such as PJSIP/alice or Local/100@test'),
    context: text(fields, 'context', DIALPLAN_NAME, 'a dialplan context'),
    exten: text(fields, 'exten', DIALPLAN_NAME, 'a dialplan extension'),
    priority: integer(fields, 'priority', 1, 1, 10_000),
    timeout: integer(fields, 'timeout', 30_000, 1_000, 600_000),
  };
  if (fields.callerId !== undefined) {
    if (typeof fields.callerId !== 'string' || fields.callerId.length > 200) {
      throw new BadRequestException('callerId must be a string of at most 200 characters');
    }
    request.callerId = fields.callerId;
  }
  return request;
}

function text(fields: Record<string, unknown>, name: string, pattern: RegExp, what: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new BadRequestException(`${name} must be ${what}`);
  }
  return value;
}

function integer(fields: Record<string, unknown>, name: string, fallback: number, min: number, max: number) {
  const value = fields[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BadRequestException(`${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}
