//! Deterministic generator of realistic project applications, shared by the
//! throughput benchmark.

/// A small deterministic generator (xorshift), so every run checks the same batch.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const COUNTIES: [&str; 11] = [
    "东昌府区",
    "临清市",
    "茌平县",
    "东阿县",
    "高唐县",
    "阳谷县",
    "莘县",
    "冠县",
    "聊城经济技术开发区",
    "聊城高新技术产业开发区",
    "江北水城旅游度假区",
];
const TOWNS: [&str; 8] = [
    "博平镇",
    "西湖镇",
    "朝城镇",
    "清平镇",
    "烟店镇",
    "古城镇",
    "大桥镇",
    "北馆陶镇",
];
const CATEGORIES: [&str; 7] = [
    "industrial",
    "industrial",
    "industrial",
    "commercial",
    "residential",
    "public",
    "energy",
];
const CONSTRUCTION: [&str; 4] = ["new", "new", "expansion", "renovation"];
const LEVELS: [&str; 4] = ["national", "provincial", "other", "none"];
const CLASSES: [&str; 3] = ["encouraged", "permitted", "permitted"];

/// One application as a JSON line (no trailing newline).
pub fn project(rng: &mut Rng, i: u64) -> String {
    let county = rng.pick(&COUNTIES);
    let category = rng.pick(&CATEGORIES);
    let construction = rng.pick(&CONSTRUCTION);
    let level = rng.pick(&LEVELS);
    let area = 15 + rng.below(120);
    // Most applications meet the limits; some fall short, as in a real register.
    let intensity = 180 + rng.below(260);
    let fixed = area * intensity;
    let total = fixed + fixed / 5 + rng.below(2000);
    let floor = area * 667 * (8 + rng.below(12)) / 10;
    let footprint = area * 667 * (35 + rng.below(25)) / 100;
    let tax = area * (12 + rng.below(30));
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let year = 2016 + rng.below(5);
    let year = if year == 2016 && month < 4 {
        2017
    } else {
        year
    };
    let area_text = if rng.below(10) == 0 {
        format!("\"{} 公顷\"", area as f64 / 15.0)
    } else {
        area.to_string()
    };
    let building = match category {
        "residential" => format!(
            r#", "building": {{"energy_saving": {}, "sports_facilities": {}}}"#,
            if rng.below(8) == 0 { 65 } else { 75 },
            rng.below(6) != 0
        ),
        "commercial" | "public" => format!(
            r#", "building": {{"energy_saving": {}}}"#,
            if rng.below(8) == 0 { 50 } else { 65 }
        ),
        _ => String::new(),
    };
    let energy = if category == "energy" {
        let use_ = 10000 + rng.below(40000);
        format!(
            r#", "energy": {{"coal_unit_mw": {}, "ultra_low_emission": true, "coal_use": {use_}, "coal_offset": {}}}"#,
            [300, 350, 600, 200][rng.below(4) as usize],
            use_ + rng.below(3000)
        )
    } else {
        String::new()
    };
    format!(
        r#"{{"kind": "project", "id": "{year}-3715{:02}-{:02}-03-{:06}", "name": "聊城市某{}项目{i}", "submitted": "{year}-{month:02}-{day:02}", "category": "{category}", "construction": "{construction}", "location": {{"county": "{county}", "town": "{}", "zone_level": "{level}", "urban_area": {}, "chemical_park": false}}, "industry": {{"code": "C{}", "catalog_class": "{}", "two_highs_one_resource": false, "chemical": false, "hazardous_chemical": false}}, "investment": {{"total": {total}, "fixed_assets": {fixed}}}, "land": {{"area": {area_text}, "floor_area": {floor}, "footprint": {footprint}}}, "tax": {{"annual": {tax}}}, "approvals": {{"energy_review": {}}}, "water": {{"saving_facilities_simultaneous": true}}{building}{energy}, "waivers": []}}"#,
        rng.below(30),
        rng.below(90),
        i,
        category,
        rng.pick(&TOWNS),
        rng.below(4) == 0,
        1000 + rng.below(8999),
        rng.pick(&CLASSES),
        rng.below(40) != 0,
    )
}
