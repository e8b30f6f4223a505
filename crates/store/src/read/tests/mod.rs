//! The read models over a cache filled the way the sync fills it.

mod catalogue;
mod files;
mod fixture;
mod orders;
mod overview;
mod paper;
mod standings;
mod summary;
mod survey;
mod tracking;
mod waiting;
