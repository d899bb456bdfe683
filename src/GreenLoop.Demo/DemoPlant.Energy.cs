namespace GreenLoop.Demo;

/// <summary>Consumption per quarter hour of one local day, for every cumulative meter.</summary>
public sealed partial class DemoPlant
{
    private sealed class DayData(double[][] slots, double[][] cumulative)
    {
        /// <summary>[meter][slot]: consumption in the slot, engineering units.</summary>
        public double[][] Slots { get; } = slots;

        /// <summary>[meter][slot]: consumption from local midnight to the start of the slot; [meter][96] is the day's total.</summary>
        public double[][] Cumulative { get; } = cumulative;
    }

    private DayData ComputeDay(long day)
    {
        const int n = DemoProfiles.SlotsPerDay;
        var counters = DemoModel.Counters;
        var dayOfWeek = DemoProfiles.DayOfWeekOf(day);
        // Half of every load follows the day's production, half is there whatever the output (fans, idling, lighting).
        var scale = 0.5 + (0.5 * DemoProfiles.ProductionFactor(day));
        // Compressed air follows the presses' strokes more closely: most of it goes where production goes.
        var airScale = 0.2 + (0.8 * DemoProfiles.ProductionFactor(day));
        var slots = new double[counters.Length][];

        for (var c = 0; c < counters.Length; c++)
        {
            var m = counters[c];
            var s = slots[c] = new double[n];
            switch (m.Source)
            {
                case CounterSource.Load:
                    var dayFactor = 1 + (0.02 * DemoRandom.Signed(m.DaySeed, day));
                    for (var j = 0; j < n; j++)
                    {
                        var noise = 1 + (m.SlotNoise * DemoRandom.Signed(m.SlotSeed, (day * n) + j));
                        s[j] = m.MeanPerHour / 4 * DemoProfiles.Shape(m.Shape, j, dayOfWeek) * (m.Shape == LoadShape.Air ? airScale : scale) * dayFactor * noise;
                    }
                    break;
                case CounterSource.Pv:
                    DemoProfiles.PvDayKw(day, s);
                    for (var j = 0; j < n; j++) s[j] /= 4;
                    break;
                default:
                    break; // the mains are summed below, once every feeder is known
            }
        }

        // The compressed-air leak-and-pressure programme (a demo project) is commissioned on this day: from then on the
        // compressors draw AirSavingFraction less for the same production, the saving its baseline model must find.
        if (day >= _airSavingDay)
        {
            var air = slots[DemoModel.AirIndex];
            for (var j = 0; j < n; j++) air[j] *= 1 - AirSavingFraction;
        }

        if (day == _events.OverLimitDay)
        {
            var air = slots[DemoModel.AirIndex];
            var seed = DemoModel.Counters[DemoModel.AirIndex].SlotSeed;
            for (var j = OverLimitFirstSlot; j < OverLimitFirstSlot + OverLimitSlots; j++)
                air[j] = OverLimitKw / 4 * (1 + (0.02 * DemoRandom.Signed(seed, (day * n) + j)));
        }

        // The PV inverters feed the polishing workshop's 0.4 kV bus, behind its feeder meter: the feeder sees the
        // workshop's load minus the PV output (the load is always the larger, see DemoModel).
        var polish = slots[DemoModel.PolishingIndex];
        var pv = slots[DemoModel.PvIndex];
        for (var j = 0; j < n; j++) polish[j] -= pv[j];

        var mainElectricity = slots[DemoModel.MainElectricityIndex];
        var mainGas = slots[DemoModel.MainGasIndex];
        for (var j = 0; j < n; j++)
        {
            double feeders = 0, gas = 0;
            for (var c = 0; c < counters.Length; c++)
            {
                if (counters[c].FeedsElectricityMain) feeders += slots[c][j];
                else if (counters[c].FeedsGasMain) gas += slots[c][j];
            }
            mainElectricity[j] = ((1 + DemoModel.ElectricityLoadLoss) * feeders) + (DemoModel.ElectricityNoLoadLossKw / 4);
            mainGas[j] = DemoModel.GasMainFactor * gas;
        }

        var cumulative = new double[counters.Length][];
        for (var c = 0; c < counters.Length; c++)
        {
            var cum = cumulative[c] = new double[n + 1];
            for (var j = 0; j < n; j++) cum[j + 1] = cum[j] + slots[c][j];
        }
        return new DayData(slots, cumulative);
    }
}
