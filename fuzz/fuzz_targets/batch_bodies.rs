#![no_main]

use libfuzzer_sys::fuzz_target;
use partnerd_fuzz::targets::batch_bodies::{Input, run};

fuzz_target!(
    init: {
        partnerd_fuzz::harness();
    },
    |input: Input| run(input)
);
