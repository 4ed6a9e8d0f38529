//! End-to-end tests against real merit-node processes, in one test binary so that they run side
//! by side (most of their time is spent waiting for blocks): the node as an operator runs it, the
//! demo scenario, three evaluator nodes that outvote and slash a wrong evaluator, evaluators
//! against misbehaving file servers, the client's library through a challenge's whole life, the
//! labelling campaign, and the web portal in a headless browser.
mod campaign;
mod client;
mod demo;
mod evaluators;
mod node;
mod servers;
mod web;
