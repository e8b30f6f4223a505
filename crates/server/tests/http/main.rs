//! The server's HTTP tests, in one binary: one link step instead of seventeen (each test file
//! was its own binary, linking the whole server). Every module runs on SQLite, and on PostgreSQL
//! with `CENTRALE_TEST_BACKEND=postgres`.

mod cluster;
mod common;

mod accompaniment;
mod auth;
mod bad_input;
mod bidders;
mod call_off;
mod call_off_branches;
mod catalogue;
mod cli;
mod contract;
mod demo_history;
mod documents;
mod execution;
mod formula;
mod interoperability;
mod isolation;
mod law;
mod mail;
mod mail_choices;
mod mail_letters;
mod merger;
mod monitoring;
mod ocds;
mod order_documents;
mod organs;
mod permissions;
mod pool;
mod portal_access;
mod portal_browser;
mod portal_offers;
mod portal_pool;
mod portal_second_factor;
mod price_verification;
mod protocol;
mod pull_scheduler;
mod pull_storage;
mod release;
mod rotation;
mod second_factor;
mod signers;
mod standings;
mod survey;
mod sync;
mod sync_formats;
mod tenancy;
mod tracking;
mod typed_values;
mod value;
