// Public face of the simulator: seeded platform traffic with labelled attack campaigns, and the event catalogue.
export {
  CAMPAIGN_KINDS, EVENT_CATALOGUE, EVENT_ENVELOPE, EVENT_TYPES, SCENARIOS, checkEvent,
} from './catalogue.ts';
export type {
  CampaignKind, EntityLabel, EntityType, EventLabel, EventSpec, EventType, FieldSpec, FieldType, Label, Role, Scenario, SimEvent,
} from './catalogue.ts';
export { DEFAULT_START, populationSize, simulate } from './simulate.ts';
export type { BatchHandler, CampaignInfo, ProgressHandler, SimOptions, SimSummary } from './simulate.ts';
export { writeSimulation } from './write.ts';
export type { WrittenSimulation } from './write.ts';
export type { Knobs } from './plan.ts';
export { sendSimulation } from './send.ts';
export type { SendOptions, SendSummary } from './send.ts';
