//! Development-only ES256 keys. Public in this repository by design: they make `cargo run` work
//! with no setup, and production refuses to start with any of them.

pub const DEV_TOKEN_KEY: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgF1kRQ1AVgjJItNdp\n\
c3tGaOjfLf/lcDu5i4RMEKc/FsahRANCAAS/ETEPKUEbiNl7MdzI1p8Qew4KiI/i\n\
xOsD05VllLLSMGI7Ap4XwqiXxdP9YvEB+DdsTK4rKWM3VMyF0mLUU3yQ\n\
-----END PRIVATE KEY-----\n";

pub const DEV_IDP_KEY: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgz3sPjSf7ndBrDoEH\n\
SuCP5jLiALg3QOritXHYPlHGKRmhRANCAAQHraj27M5ByvZuTGUt+ztgCLiffPbA\n\
YCFbpshZDTgvhndEmKSlJEeJ69XFsFgOAbQNowGfm9/8ckXAk8iJkM3N\n\
-----END PRIVATE KEY-----\n";

pub const DEV_CLIENT_KEY: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgIP7XRnenGhQQAfS+\n\
6hPp/AMWlO4+zp7zFIFf/OtO4bKhRANCAAQ1V0RsfCOFYFd0x1NLC5Qnn1A7Lldd\n\
ZdLM3LmM8HxHQmiWXolnuirINWBDEFf0BobFAHKpZo2O56FPAN+CGxxY\n\
-----END PRIVATE KEY-----\n";
