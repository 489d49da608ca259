namespace Aggregator.Scheduling;

/// <summary>
/// Caps the refreshes that parse, clean and pack at once, one per core (<see cref="SchedulingServices.WorkSlots"/>),
/// while fetches run as many at once as <c>fetching.maxConcurrent</c> allows. That work waits on the cores, not the
/// network: more feeds at it than cores only spread each over longer, with its parsed and cleaned items in memory
/// meanwhile (the bench's all-new pass ran 3–5 full collections with eight at work, 2–3 with two; tests/Aggregator.Benchmarks/HISTORY.md).
/// </summary>
internal sealed class WorkLimiter(int slots) : IDisposable
{
    private readonly SemaphoreSlim slotsFree = new(slots, slots);

    /// <summary>Waits for a slot; dispose the lease to give it back.</summary>
    public async Task<Lease> EnterAsync(CancellationToken cancellationToken)
    {
        await slotsFree.WaitAsync(cancellationToken);
        return new Lease(slotsFree);
    }

    public void Dispose() => slotsFree.Dispose();

    /// <summary>One refresh's right to work, which it may leave while it waits on the network and take back after.</summary>
    internal sealed class Lease(SemaphoreSlim slotsFree) : IDisposable
    {
        private bool held = true;

        /// <summary>Gives the slot back for a while (a page's fetch); <see cref="ReturnAsync"/> takes one again.</summary>
        public void Leave()
        {
            if (held)
            {
                held = false;
                slotsFree.Release();
            }
        }

        /// <summary>Waits for a slot again after <see cref="Leave"/>; when cancelled, the lease holds none.</summary>
        public async Task ReturnAsync(CancellationToken cancellationToken)
        {
            if (!held)
            {
                await slotsFree.WaitAsync(cancellationToken);
                held = true;
            }
        }

        /// <summary>Gives the slot back if the lease holds one: safe after <see cref="Leave"/> and when called twice.</summary>
        public void Dispose() => Leave();
    }
}
