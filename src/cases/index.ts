// Public face of moderation: cases, queues, reviews, enforcement, strikes, appeals, webhooks, review labels, users and sessions.
export { casesMigrations } from './migrations.ts';
export { Moderation, ModerationError, REVIEW_ACTIONS } from './moderation.ts';
export type { Case, CaseAction, CaseOutcome, CaseStatus, Evidence, ModerationHost, ModerationOptions, Queue, ReviewAction, ReviewLabel, Reviewer, RulePrecision } from './moderation.ts';
export { CAPABILITIES, ENFORCEMENT_KINDS, MODERATION_LABEL_PREFIXES } from './enforcement.ts';
export type { Capability, Enforcement, EnforcementKind, EnforcementSource, EnforcementSpec, LadderStep, Strike } from './enforcement.ts';
export { caseSubject } from './intake.ts';
export { ROLES, Users, hashPassword, verifyPassword } from './users.ts';
export type { Role, User, UsersOptions } from './users.ts';
export { SIGNATURE_HEADER, WEBHOOK_EVENTS, Webhooks, signWebhook, verifyWebhook } from './webhooks.ts';
export type { Attempt, Delivery, DispatcherOptions, Webhook, WebhookEvent } from './webhooks.ts';
