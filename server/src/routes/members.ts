import { FaceError } from '@posface/protocol';
import {
  CreateMemberRequest,
  Member,
  MemberIdParams,
  MemberList,
  MemberPhoneQuery,
  OpenidParams,
  RecommendationList,
  RecommendationQuery,
} from '@posface/protocol/api';
import { terminalOf } from '../auth/terminal-auth.js';
import { ERROR_RESPONSES } from './errors.js';
import type { Api, RouteDeps } from './types.js';

export function memberRoutes(app: Api, deps: RouteDeps): void {
  const { members, orders } = deps.storage;

  app.get(
    '/members/by-openid/:openid',
    { schema: { params: OpenidParams, response: { 200: Member, ...ERROR_RESPONSES } } },
    async (request) => {
      const member = await members.byOpenid(request.params.openid);
      // The openid is not echoed: it is personal data and the caller has it already.
      if (member === null) throw new FaceError('NOT_FOUND', 'no member with this openid');
      return member;
    },
  );

  app.get(
    '/members',
    { schema: { querystring: MemberPhoneQuery, response: { 200: MemberList, ...ERROR_RESPONSES } } },
    async (request) => ({ items: await members.byPhone(request.query.phone) }),
  );

  app.post(
    '/members',
    { schema: { body: CreateMemberRequest, response: { 201: Member, ...ERROR_RESPONSES } } },
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
