// Hand-written helpers over the generated api.d.ts (not generated, not shipped):
// the envelope's `data` of an operation's success answer, for JSDoc such as
// `@returns {Promise<import('../types/data').Data<'getMyProfile'>>}`.
import type { components, operations } from './api'

type Success<R> = 200 extends keyof R ? R[200] : 201 extends keyof R ? R[201] : never
type JsonBody<A> = A extends { content: { 'application/json': infer B } } ? B : never

/**
 * The `data` of the JSON success answer of an operation (by operationId);
 * `any` while the spec answers the untyped Envelope (`data?: unknown`).
 */
export type Data<Op extends keyof operations> =
  JsonBody<Success<operations[Op]['responses']>> extends { data?: infer D } ? (unknown extends D ? ([keyof D] extends [never] ? any : D) : D) : never

/** A named schema of the spec. */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N]
