export * from './common.js';
export * from './health.js';
export * from './studies.js';
export * from './members.js';
export * from './events.js';
export * from './widget-config.js';
export * from './bookings.js';
export * from './workspace.js';
