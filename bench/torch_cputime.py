#!/usr/bin/python3
"""Runs ../shared/bench/torch_charlm.py with its step and generation clocks switched from wall time to process
CPU time (all threads), the same measure as yuefu's step_cpu_ms_median. On a machine shared with other jobs wall
time measures the load; with --threads 1, CPU time measures the engine. Usage: as torch_charlm.py."""
import os, runpy, sys, time
peer = os.environ.get("YUEFU_PEER") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench", "torch_charlm.py")
time.perf_counter = time.process_time
sys.argv[0] = peer
runpy.run_path(peer, run_name="__main__")
