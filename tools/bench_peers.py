"""bench_peers.py — the peers of shared/notes/pk-peers-and-baselines.md,
run on this machine for `make bench` side by side with k2: scipy odeint
dose by dose on the §B.1 single job, and the numpy "matrix" population
(loop over doses, broadcast subjects × time). Prints seconds per job.
Needs Debian's python3-scipy and python3-numpy; skips with a message if absent."""
import math
import sys
import time

try:
    import numpy as np
    from scipy.integrate import odeint
except ImportError as e:  # pragma: no cover
    print(f"peers: skipped ({e}); apt-get install python3-scipy python3-numpy")
    sys.exit(0)

ka, ke = 0.5, math.log(2) / 68


def single():
    t_grid = np.arange(525600) / 60.0
    out = np.empty_like(t_grid)
    state = np.array([0.0, 0.0])
    rhs = lambda y, t: [-ka * y[0], ka * y[0] - ke * y[1]]
    for d in range(365):
        state = state + np.array([180.0, 0.0])
        seg = t_grid[d * 1440:(d + 1) * 1440]
        ts = np.concatenate(([d * 24.0], seg[1:], [(d + 1) * 24.0])) if d < 364 else np.concatenate(([d * 24.0], seg[1:]))
        ys = odeint(rhs, state, ts)
        out[d * 1440:(d + 1) * 1440] = ys[:len(seg), 1]
        state = ys[-1]
    return out.max(), np.trapz(out, dx=1 / 60)


def population(n=10000):
    rng = np.random.default_rng(1)
    w = math.sqrt(math.log(1.09))
    kas = ka * np.exp(w * rng.standard_normal(n))[:, None]
    kes = ke * np.exp(w * rng.standard_normal(n))[:, None]
    t = np.arange(721.0)[None, :]
    c = np.zeros((n, 721))
    for d in range(30):
        dt = t - 24.0 * d
        on = dt >= 0
        c += np.where(on, 180 * kas / (kas - kes) * (np.exp(-kes * np.clip(dt, 0, None)) - np.exp(-kas * np.clip(dt, 0, None))), 0)
    return c.max(axis=1).mean(), np.trapz(c, axis=1).mean()


k2_ms = [float(x) for x in sys.argv[1:3]] if len(sys.argv) > 2 else [None, None]
goals = (100, 50)
jobs = (("scipy odeint dose by dose, single job", single), ("numpy matrix population job", population))
for (name, job), ms, goal in zip(jobs, k2_ms, goals):
    t0 = time.perf_counter()
    a, b = job()
    s = time.perf_counter() - t0
    ratio = f"; k2 is {s * 1000 / ms:.0f}x faster (goal >= {goal}x)" if ms else ""
    print(f"peer: {name}: {s:.3f} s (Cmax {a:.4f}, AUC {b:.2f}){ratio}")
