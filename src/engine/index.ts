// The decision engine: runs compiled strategies over events on event time.
export { Engine, type EngineOptions } from './engine.ts';
export { isRejection, type Decision, type Outcome, type Rejection, type RuleHit, type LabelEffect, type RejectionCode } from './decision.ts';
export { Lists, ListRef } from './lists.ts';
export { runStrategyTests, TEST_EPOCH, type TestResult, type TestFailure } from './testing.ts';
