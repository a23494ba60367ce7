// @ts-check
// Shared helpers of the guided practices (pacer, grounding, muscle relaxation). Part of the shared helpers: see core.js.
