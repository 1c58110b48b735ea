// Types for the Node tests that import the harness (test/scripts/user-settings.test.ts).
export declare function mergeUserSettings(userData: string): void;
