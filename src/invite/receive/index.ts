export * from './countersign.js';
export * from './reasons.js';
export * from './receive.js';
export * from './receive-async.js';
export * from './request.js';
export * from './response.js';
export * from './room-state.js';
export * from './validate.js';
