import {
  AuthinfoResponse,
  CataloguePage,
  HealthStatus,
  LoyaltyRules,
  Member,
  MemberList,
  MemberLookup,
  Order,
  OrderDetail,
  PairResponse,
  ProductList,
  RecommendationList,
  Refund,
  TerminalInfo,
  TerminalReportResponse,
} from '@posface/protocol/api';
import type { Static } from 'typebox';
import { Check, Errors } from 'typebox/value';

/**
 * The schemas of the server's answers the POS reads (the ones the server answers with, from protocol) and
 * their check. http.ts loads this module on its first request, so TypeBox (about 29 KB gzipped) stays out
 * of the POS's initial script. Check interprets the schema: no eval, fine under a strict CSP.
 */
const ANSWERS = {
  AuthinfoResponse,
  CataloguePage,
  HealthStatus,
  LoyaltyRules,
  Member,
  MemberList,
  MemberLookup,
  Order,
  OrderDetail,
  PairResponse,
  ProductList,
  RecommendationList,
  Refund,
  TerminalInfo,
  TerminalReportResponse,
};

export type AnswerName = keyof typeof ANSWERS;
export type Answer<N extends AnswerName> = Static<(typeof ANSWERS)[N]>;

/** Null for an answer of the expected shape, or where it is wrong: "/member/points must be integer". */
export function answerProblem(name: AnswerName, value: unknown): { field: string; message: string } | null {
  const schema = ANSWERS[name];
  if (Check(schema, value)) return null;
  const [first] = Errors(schema, value);
  const field = first?.instancePath || '/';
  return { field, message: `${field} ${first?.message ?? 'is not valid'}` };
}
