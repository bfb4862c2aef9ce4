import { FaceError } from '@posface/protocol';
import {
  CreateMemberRequest,
  Member,
  MemberIdParams,
  MemberList,
  MemberLookup,
  MemberPhoneQuery,
  OpenidParams,
  RecommendationList,
  RecommendationQuery,
} from '@posface/protocol/api';
import { terminalOf } from '../auth/terminal-auth.js';
import { perTerminalPerMinute } from '../http/rate-limit.js';
import { ERROR_RESPONSES } from './errors.js';
import type { Api, RouteDeps } from './types.js';

/**
 * Member lookups and enrolment answer only what the till shows (protocol's Member), and each terminal may
 * make MEMBER_LOOKUPS_PER_MINUTE of each per minute: enough for a busy till, far too few to walk through
 * phone numbers or openids.
 */
export function memberRoutes(app: Api, deps: RouteDeps): void {
  const { members, orders } = deps.storage;
  const config = { rateLimit: perTerminalPerMinute(deps.config.memberLookupsPerMinute) };

  app.get(
    '/members/by-openid/:openid',
    // A face that is not a member yet is an answer (member: null), not an error.
    { config, schema: { params: OpenidParams, response: { 200: MemberLookup, ...ERROR_RESPONSES } } },
    async (request) => ({ member: await members.byOpenid(request.params.openid) }),
  );

  app.get(
    '/members',
    { config, schema: { querystring: MemberPhoneQuery, response: { 200: MemberList, ...ERROR_RESPONSES } } },
    async (request) => ({ items: await members.byPhone(request.query.phone) }),
  );

  app.post(
    '/members',
    // Enrolment answers 409 for a known openid, so it is a lookup too.
    { config, schema: { body: CreateMemberRequest, response: { 201: Member, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const body = request.body;
      if (body.openid === undefined && body.phone === undefined) {
        throw new FaceError('INVALID_REQUEST', 'body: an openid or a phone number is required to enrol a member', { details: { field: 'body.openid' } });
      }
      const member = await members.create(body);
      return reply.code(201).send(member);
    },
  );

  app.get(
    '/members/:id/recommendations',
    { schema: { params: MemberIdParams, querystring: RecommendationQuery, response: { 200: RecommendationList, ...ERROR_RESPONSES } } },
    async (request) => {
      const member = await members.byId(request.params.id);
      if (member === null) throw new FaceError('NOT_FOUND', `no member with id "${request.params.id}"`);
      const items = await orders.recommendations(member.id, terminalOf(request).store_id, request.query.limit ?? 6);
      return { items };
    },
  );
}
