// Preloaded into every test process: a fixed fast-check seed when FC_SEED is set (CI), so a CI run is
// reproducible; local runs keep fresh random seeds to keep exploring. Failures print their seed either way.
import fc from 'fast-check';

if (process.env.FC_SEED) fc.configureGlobal({ seed: Number(process.env.FC_SEED) });
