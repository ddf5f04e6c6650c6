/* gen [-cTu] [-v | -x] [-n count] [-s seed] - a made-up district for make bench */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Everything here is a pure function of the seed and the count, so that
 * two runs (and two machines) benchmark the same bytes.  Times are
 * written in China Standard Time, the district's zone, and the history
 * ends at NOW: bench/run takes CASE_NOW from "gen -T".
 */

#define NOW_Y	2025
#define NOW_M	6
#define NOW_D	30
#define NOW_H	18
#define DAY	86400LL
#define HOUR	3600LL
#define SPAN	(913 * DAY)	/* two and a half years */
#define CST	(8 * HOUR)

static uint64_t rng;

/* splitmix64: small, fast, and the same everywhere. */
static uint64_t
next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static long long
rnd(long long n)
{
	return n > 0 ? (long long)(next() % (uint64_t)n) : 0;
}

/* Uniform in [0, 1). */
static double
unif(void)
{
	return (next() >> 11) * (1.0 / 9007199254740992.0);
}

#define PICK(a)	((a)[rnd(sizeof (a) / sizeof (a)[0])])

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static void
civil_from_days(long long z, int *y, int *m, int *d)
{
	long long era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (long long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static long long
now_epoch(void)
{
	return days_from_civil(NOW_Y, NOW_M, NOW_D) * DAY + NOW_H * HOUR - CST;
}

static void
put_time(long long t)
{
	long long l = t + CST, days = l / DAY, s = l % DAY;
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	printf("%04d-%02d-%02dT%02lld:%02lld:%02lld+08:00", y, m, d, s / 3600,
	    s / 60 % 60, s % 60);
}

/* An RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void
put_field(const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

/* ---- the unit tree ---- */

enum level { L_DISTRICT, L_DEPT, L_STREET, L_POLICE, L_COMMUNITY, L_GRID };
static const char *levelname[] = { "district", "department", "street",
	"police", "community", "grid" };

struct unit {
	char	 code[32], name[96];
	int	 parent;	/* index, or -1 */
	enum level level;
	int	 police;	/* community, street: its police unit, or -1 */
	int	 weight;	/* grids: how busy, 1..8 */
};

#define NSTREET	10
#define NCOMM	4	/* communities per street */
#define NGRID	5	/* grids per community */
#define MAXUNITS 400

static struct unit units[MAXUNITS];
static int nunits, grids[NSTREET * NCOMM * NGRID], ngrids, gridweight;

/* Departments by code; cases of some categories go to them. */
static const char *depts[][2] = {
	{ "fgw", "区发改委" }, { "rsj", "区人社局" }, { "fy", "区法院" },
	{ "yjj", "区应急管理局" }, { "zjj", "区住建局" },
	{ "zhzx", "区社会治理综合服务中心" }, { "gaj", "区公安分局" },
	{ "sfj", "区司法局" }, { "scj", "区市场监管局" }, { "cgj", "区城管局" },
	{ "hbj", "区生态环境分局" }, { "xfj", "区信访局" },
	{ "mzj", "区民政局" }, { "wjw", "区卫健委" }, { "jtj", "区教体局" },
};
#define NDEPT ((int)(sizeof depts / sizeof depts[0]))

static const char *streets[NSTREET] = { "新庄孜街道", "土坝孜街道",
	"毕家岗街道", "八公山镇", "山王镇", "望峰岗街道", "孔店街道",
	"洞山街道", "九龙岗镇", "田家庵街道" };
static const char *commnames[NSTREET * NCOMM] = { "东矿", "和平", "朝阳",
	"花园", "妙山", "大泉", "矿工", "新华", "红旗", "胜利", "团结", "光明",
	"幸福", "建设", "人民", "前进", "向阳", "东风", "东升", "西苑", "南湖",
	"北山", "龙湖", "凤凰", "金桥", "银河", "春华", "秋实", "翠竹", "松林",
	"桃园", "梨园", "杏花", "荷塘", "清泉", "白鹭", "紫金", "长青", "永安",
	"康宁" };
static const char *gridnames[] = { "第一网格", "第二网格", "第三网格",
	"第四网格", "第五网格", "第六网格" };
static const char *estates[] = { "锦绣花园", "阳光", "矿工新村", "幸福家园",
	"翠苑", "金色家园", "新城", "滨河", "和谐", "富康", "丽景", "福源" };

static int
add_unit(const char *code, const char *name, int parent, enum level level)
{
	struct unit *u;

	if (nunits == MAXUNITS)
		errx(2, "too many units");
	u = &units[nunits];
	snprintf(u->code, sizeof u->code, "%s", code);
	snprintf(u->name, sizeof u->name, "%s", name);
	u->parent = parent;
	u->level = level;
	u->police = -1;
	u->weight = 1;
	return nunits++;
}

/* About 300 units: district, departments, streets, communities, grids. */
static void
build_units(void)
{
	char code[32], name[96];
	int s, c, g, st, cm, p, i;

	add_unit("bgs", "八公山区", -1, L_DISTRICT);
	for (i = 0; i < NDEPT; i++)
		add_unit(depts[i][0], depts[i][1], 0, L_DEPT);
	for (s = 0; s < NSTREET; s++) {
		snprintf(code, sizeof code, "jd%02d", s + 1);
		st = add_unit(code, streets[s], 0, L_STREET);
		snprintf(code, sizeof code, "jd%02d-pcs", s + 1);
		snprintf(name, sizeof name, "%.*s派出所",
		    (int)strlen(streets[s]) - 6, streets[s]);
		units[st].police = add_unit(code, name, st, L_POLICE);
		for (c = 0; c < NCOMM; c++) {
			const char *cn = commnames[s * NCOMM + c];

			snprintf(code, sizeof code, "jd%02d-sq%d", s + 1, c + 1);
			snprintf(name, sizeof name, "%s社区", cn);
			cm = add_unit(code, name, st, L_COMMUNITY);
			units[cm].police = units[st].police;
			/* Every other community has its own police office. */
			if (c % 2 == 0) {
				snprintf(code, sizeof code, "jd%02d-sq%d-jws",
				    s + 1, c + 1);
				snprintf(name, sizeof name, "%s社区警务室", cn);
				p = add_unit(code, name, cm, L_POLICE);
				units[cm].police = p;
			}
			for (g = 0; g < NGRID; g++) {
				snprintf(code, sizeof code, "jd%02d-sq%d-wg%d",
				    s + 1, c + 1, g + 1);
				if (g == NGRID - 1)
					snprintf(name, sizeof name, "%s小区网格",
					    PICK(estates));
				else
					snprintf(name, sizeof name, "%s社区%s",
					    cn, gridnames[g]);
				i = add_unit(code, name, cm, L_GRID);
				/* Some grids are much busier than others. */
				units[i].weight = 1 + (int)rnd(8);
				gridweight += units[i].weight;
				grids[ngrids++] = i;
			}
		}
	}
}

static void
write_units(void)
{
	int i;

	printf("code,name,parent,level\n");
	for (i = 0; i < nunits; i++) {
		put_field(units[i].code);
		putchar(',');
		put_field(units[i].name);
		putchar(',');
		if (units[i].parent >= 0)
			put_field(units[units[i].parent].code);
		printf(",%s\n", levelname[units[i].level]);
	}
}

/* ---- categories ---- */

/* Who handles a category's cases. */
enum handler { H_GRID, H_COMMUNITY, H_POLICE, H_STREET, H_DEPT };

struct category {
	const char *code, *name, *deadline;
	long long secs;
	int	 weight;
	enum handler handler;
	const char *dept;
	const char *titles[6];
};

static const struct category cats[] = {
	{ "hazard", "安全隐患", "24h", 24 * HOUR, 14, H_POLICE, NULL,
	  { "火锅店在居民楼下堆放液化气罐", "楼道堆放杂物,堵塞安全出口",
	    "围墙开裂存在倒塌隐患", "废弃厂房屋顶有坠落物",
	    "燃气管道老化漏气", "电线私拉乱接" } },
	{ "fire-lane", "占用消防通道", "3d", 3 * DAY, 6, H_COMMUNITY, NULL,
	  { "私家车占用消防通道", "商户在消防通道堆放货物",
	    "小区消防通道被地锁封堵", "消防车道被违章停车堵塞",
	    "消防通道被摊贩占用", "楼下消防通道长期停放僵尸车" } },
	{ "ebike", "电动车违规充电", "3d", 3 * DAY, 6, H_GRID, NULL,
	  { "楼道电瓶车飞线充电", "电动车停放楼道内充电",
	    "居民从窗口拉线给电动车充电", "电动车电池带回家中充电",
	    "车棚充电桩损坏,居民私拉电线", "地下室电动车集中充电无人看管" } },
	{ "dispute", "矛盾纠纷", "7d", 7 * DAY, 8, H_COMMUNITY, NULL,
	  { "邻里漏水纠纷", "宅基地边界纠纷", "婚姻家庭纠纷",
	    "赡养老人纠纷", "租房押金纠纷", "装修噪音引发纠纷" } },
	{ "neighbor", "邻里纠纷", "7d", 7 * DAY, 6, H_GRID, NULL,
	  { "邻居占用公共楼道", "楼上空调滴水", "邻居饲养宠物扰民",
	    "公共区域种菜引发矛盾", "邻居违规搭建遮挡采光",
	    "楼道\"堆物\"引发口角" } },
	{ "labor", "劳资纠纷", "15d", 15 * DAY, 4, H_DEPT, "rsj",
	  { "建筑工地拖欠农民工工资", "企业未缴纳社保",
	    "辞退员工未支付补偿金", "餐馆拖欠服务员工资",
	    "劳务派遣公司克扣工资", "加班费计算争议" } },
	{ "petition", "信访", "30d", 30 * DAY, 5, H_DEPT, "xfj",
	  { "反映征地补偿标准过低", "反映拆迁安置房未按期交付",
	    "反映低保评定不公", "反映村务财务不公开",
	    "要求解决历史遗留问题", "反映棚改政策落实" } },
	{ "law", "涉法涉诉", "30d", 30 * DAY, 3, H_DEPT, "fy",
	  { "申请执行判决款项", "对判决结果不服要求复查",
	    "反映案件审理期限过长", "要求法院立案",
	    "执行案件进展缓慢", "对调解书履行有异议" } },
	{ "legal-aid", "法律援助", "7d", 7 * DAY, 4, H_DEPT, "sfj",
	  { "申请法律援助追讨工资", "老人咨询遗嘱继承",
	    "交通事故赔偿法律援助", "工伤认定法律援助",
	    "离婚诉讼法律援助", "残疾人维权法律援助" } },
	{ "enterprise", "企业诉求", "3d", 3 * DAY, 4, H_DEPT, "fgw",
	  { "招商奖励未兑现", "企业用地审批进度慢",
	    "企业反映用电容量不足", "企业门前道路破损影响运输",
	    "企业申请人才补贴", "企业反映\"一网通办\"系统故障" } },
	{ "suggestion", "群众建议", "15d", 15 * DAY, 5, H_COMMUNITY, NULL,
	  { "建议新建电动车充电棚", "建议增设健身器材",
	    "建议增加公交线路", "建议小区加装电梯",
	    "建议设立老年食堂", "建议增设垃圾分类投放点" } },
	{ "property", "物业管理", "15d", 15 * DAY, 5, H_COMMUNITY, NULL,
	  { "物业不作为,小区卫生差", "物业费上涨未公示",
	    "电梯长期故障无人维修", "小区门禁损坏",
	    "物业擅自占用公共收益", "地下车库渗水" } },
	{ "sanitation", "环境卫生", "3d", 3 * DAY, 6, H_GRID, NULL,
	  { "垃圾清运不及时", "小区内散养家禽", "路边垃圾堆积",
	    "下水道堵塞污水外溢", "公厕无人保洁", "河道漂浮垃圾" } },
	{ "road", "道路设施", "7d", 7 * DAY, 4, H_DEPT, "zjj",
	  { "路灯不亮", "人行道地砖破损", "窨井盖缺失",
	    "道路积水", "减速带损坏", "交通标志被遮挡" } },
	{ "utility", "供水供电", "48h", 48 * HOUR, 4, H_STREET, NULL,
	  { "小区停水无通知", "自来水浑浊发黄", "片区频繁停电",
	    "供暖管道漏水", "水压不足高层无水", "电表箱门损坏" } },
	{ "noise", "噪声扰民", "3d", 3 * DAY, 4, H_POLICE, NULL,
	  { "广场舞音响声音过大", "夜间施工噪音扰民",
	    "烧烤店深夜喧哗", "KTV噪音扰民",
	    "工厂机器噪音", "商铺高音喇叭促销" } },
	{ "building", "违章搭建", "15d", 15 * DAY, 3, H_DEPT, "cgj",
	  { "楼顶违章搭建彩钢房", "一楼住户私自扩建院墙",
	    "占用绿地搭建棚屋", "阳台违规外扩",
	    "小区内私建车库", "沿街商户违规搭建雨棚" } },
	{ "food", "食品安全", "72h", 72 * HOUR, 3, H_DEPT, "scj",
	  { "无证流动摊贩售卖熟食", "餐馆后厨卫生差",
	    "超市销售过期食品", "学校周边小卖部售卖\"三无\"食品",
	    "早餐店使用地沟油嫌疑", "外卖店无营业执照" } },
	{ "elderly", "养老服务", "7d", 7 * DAY, 3, H_COMMUNITY, NULL,
	  { "独居老人无人照料", "申请居家养老服务",
	    "高龄津贴未到账", "老年活动室长期关闭",
	    "申请适老化改造", "失能老人申请护理补贴" } },
	{ "other", "其他", "7d", 7 * DAY, 3, H_GRID, NULL,
	  { "流浪犬伤人", "小区树木遮挡阳光", "共享单车乱停放",
	    "小广告乱贴", "楼道灯损坏", "信报箱被撬" } },
};
#define NCAT ((int)(sizeof cats / sizeof cats[0]))
static int catweight;

static void
write_categories(void)
{
	int i;

	printf("code,name,deadline\n");
	for (i = 0; i < NCAT; i++)
		printf("%s,%s,%s\n", cats[i].code, cats[i].name,
		    cats[i].deadline);
}

/* ---- cases ---- */

static const char *surnames[] = { "王", "李", "张", "刘", "陈", "杨", "黄",
	"赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
	"罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹" };
static const char *given[] = { "芳", "娜", "伟", "强", "敏", "静", "丽",
	"军", "勇", "磊", "洋", "艳", "杰", "涛", "明", "超", "秀英", "桂兰",
	"建国", "海燕", "志强", "晓东", "文华", "玉梅" };
static const char *firms[] = { "新材料", "煤机制造", "物流", "建材",
	"食品", "电子科技", "商贸", "置业" };
static const char *sources[] = { "grid", "hotline", "wechat", "council",
	"mediation", "walk-in", "police", "media", "other" };
static const int srcweight[] = { 30, 25, 8, 6, 10, 10, 6, 2, 3 };
static const char *openers[] = { "经现场核实，", "据反映，", "网格员巡查发现，",
	"居民来电称，", "群众反映，", "经初步了解，" };
static const char *details[] = {
	"问题已持续%d个月，多次沟通未果",
	"涉及住户%d户，群众意见较大",
	"现场有%d处明显隐患，无任何防护措施",
	"当事人情绪激动,要求尽快处理",
	"已于%d日前向物业反映,未得到答复",
	"周边有学校和幼儿园，人员密集",
	"夜间尤为严重，影响%d户居民休息",
	"当事人称\"再不解决就去上级反映\"",
	"涉及金额约%d万元",
	"现场已拍照留存，附图%d张",
};
static const char *requests[] = { "请尽快派员处理。", "要求相关部门协调解决。",
	"请社区牵头约谈当事人。", "建议联合执法。", "请依法依规处理。",
	"望给予答复。" };
static const char *notes[][3] = {
	{ "已现场责令整改，隐患已消除", "已协调相关方解决,群众满意",
	  "已整改到位，回访满意" },
	{ "双方达成调解协议，当场履行", "经调解双方和解,签订\"调解协议书\"",
	  "调解成功，矛盾化解" },
	{ "双方分歧较大，调解不成，已告知诉讼途径", "一方拒绝调解",
	  "调解未果，引导依法维权" },
	{ "已转区相关部门办理", "不属本单位职责,已转办", "已移交上级部门" },
	{ "当事人主动撤回", "问题已自行解决，撤回诉求", "反映人撤回" },
	{ "与已有案件重复，合并办理", "重复反映", "同一事项重复上报" },
	{ "不属于受理范围", "诉求缺乏依据，不予受理", "已书面告知不予受理理由" },
};
static const char *outcomes[] = { "resolved", "mediated", "mediation-failed",
	"referred", "withdrawn", "duplicate", "rejected" };
static const int outweight[] = { 70, 10, 3, 7, 4, 4, 2 };

static int
weighted(const int *w, int n, int total)
{
	long long r = rnd(total);
	int i;

	for (i = 0; i < n - 1; i++)
		if ((r -= w[i]) < 0)
			return i;
	return n - 1;
}

static const struct category *
pick_category(void)
{
	long long r = rnd(catweight);
	int i;

	for (i = 0; i < NCAT - 1; i++)
		if ((r -= cats[i].weight) < 0)
			break;
	return &cats[i];
}

static int
pick_grid(void)
{
	long long r = rnd(gridweight);
	int i;

	for (i = 0; i < ngrids - 1; i++)
		if ((r -= units[grids[i]].weight) < 0)
			break;
	return grids[i];
}

static int
find_unit(const char *code)
{
	int i;

	for (i = 0; i < nunits; i++)
		if (strcmp(units[i].code, code) == 0)
			return i;
	errx(2, "no unit %s", code);
}

/* The unit that handles a case of category c found in grid g. */
static int
handler(const struct category *c, int g)
{
	int comm = units[g].parent, street = units[comm].parent;

	switch (c->handler) {
	case H_GRID:
		return rnd(4) ? g : comm;
	case H_COMMUNITY:
		return rnd(5) ? comm : g;
	case H_POLICE:
		return rnd(3) ? units[comm].police : units[street].police;
	case H_STREET:
		return rnd(4) ? street : comm;
	default:
		return rnd(10) ? find_unit(c->dept) : street;
	}
}

static void
name(char *buf, size_t size)
{
	snprintf(buf, size, "%s%s", PICK(surnames), PICK(given));
}

static void
reporter(char *buf, size_t size, const char *src, const struct category *c)
{
	char n[32];

	name(n, sizeof n);
	if (strcmp(src, "grid") == 0 || strcmp(src, "police") == 0)
		snprintf(buf, size, "%s%s", strcmp(src, "grid") == 0 ?
		    "网格员" : "民警", n);
	else if (strcmp(c->code, "enterprise") == 0)
		snprintf(buf, size, "淮南市%s%s有限公司", PICK(surnames),
		    PICK(firms));
	else if (strcmp(src, "council") == 0)
		snprintf(buf, size, "%s小区居民议事会", PICK(estates));
	else if (rnd(4) == 0)
		snprintf(buf, size, "居民%s某等%d人", PICK(surnames),
		    2 + (int)rnd(9));
	else
		snprintf(buf, size, "居民%s某", PICK(surnames));
}

/* A description of two to four sentences, sometimes over several lines. */
static void
description(char *buf, size_t size, const char *loc, const char *title)
{
	size_t n;
	int i, k = 1 + (int)rnd(3);

	n = (size_t)snprintf(buf, size, "%s%s%s。", PICK(openers), loc, title);
	for (i = 0; i < k && n < size; i++) {
		if (rnd(4) == 0 && n < size)
			buf[n++] = '\n';
		n += (size_t)snprintf(buf + n, size - n, PICK(details),
		    2 + (int)rnd(30));
		n += (size_t)snprintf(buf + n, size - n, "。");
	}
	if (n < size)
		snprintf(buf + n, size - n, "%s", PICK(requests));
}

/*
 * The share of cases still open by age: most recent cases are being
 * worked on, and nearly everything older than 90 days is closed.
 */
static double
p_open(long long age)
{
	if (age < DAY)
		return 0.9;
	if (age < 7 * DAY)
		return 0.5;
	if (age < 30 * DAY)
		return 0.25;
	if (age < 90 * DAY)
		return 0.12;
	return 0.01;
}

/*
 * One case.  With overdue set, the case is open, at a unit with a parent,
 * and past its deadline: what the nightly escalation finds.  With closed
 * set, the case is closed whatever its age: the years of finished work a
 * district piles up, which its open work must not pay for.
 */
static void
one_case(long long i, long long n, int overdue, int closed)
{
	long long now = now_epoch(), rep, due, asg = -1, cl = -1, age;
	const struct category *c = pick_category();
	const char *src, *status, *outcome = NULL, *title;
	char loc[128], rp[96], desc[1024], note[256], t[160];
	int g = pick_grid(), unit = -1, o;

	if (overdue)
		rep = now - c->secs - HOUR - rnd(30 * DAY);
	else
		rep = now - SPAN + (SPAN * i + rnd(SPAN)) / n;
	if (rep > now)
		rep = now - rnd(HOUR);
	age = now - rep;
	due = rep + c->secs;
	src = sources[weighted(srcweight, 9, 100)];
	title = c->titles[rnd(6)];
	if (rnd(10) == 0)
		snprintf(t, sizeof t, "%s（%s第%d次反映）", title,
		    units[units[g].parent].name, 2 + (int)rnd(4));
	else
		snprintf(t, sizeof t, "%s", title);
	snprintf(loc, sizeof loc, "%s%s%d号楼%d单元", units[units[g].parent].name,
	    PICK(estates), 1 + (int)rnd(30), 1 + (int)rnd(6));
	reporter(rp, sizeof rp, src, c);
	description(desc, sizeof desc, loc, title);
	note[0] = '\0';

	if (overdue || (unif() < p_open(age) && !closed)) {
		/*
		 * Open: most are with a unit; a case still waiting for
		 * one is a few hours old, well inside any deadline.
		 */
		if (!overdue && age < 12 * HOUR && rnd(3) == 0)
			status = "reported";
		else {
			status = "assigned";
			unit = handler(c, g);
			asg = rep + 60 * (5 + rnd(120));
			if (asg > now)
				asg = now;
		}
	} else {
		long long dur;

		status = "closed";
		unit = handler(c, g);
		asg = rep + 60 * (5 + rnd(rnd(4) ? 120 : 24 * 60));
		/* Four in five close on time; the rest up to 3x late. */
		dur = (long long)(c->secs * (rnd(5) ? 0.05 + 0.95 * unif() :
		    1.0 + 2.0 * unif()));
		cl = asg + dur;
		if (cl > now)
			cl = rep + (long long)((now - rep) * (0.5 + 0.5 * unif()));
		if (asg > cl)
			asg = rep + (cl - rep) / 2;
		o = weighted(outweight, 7, 100);
		outcome = outcomes[o];
		snprintf(note, sizeof note, "%s", notes[o][rnd(3)]);
	}

	put_time(rep);
	printf(",%s,%s,", src, c->code);
	put_field(units[g].code);
	putchar(',');
	put_field(loc);
	putchar(',');
	put_field(rp);
	putchar(',');
	put_field(t);
	putchar(',');
	put_field(desc);
	putchar(',');
	if (unit >= 0)
		put_field(units[unit].code);
	printf(",%s,", status);
	put_time(due);
	putchar(',');
	if (asg >= 0)
		put_time(asg);
	putchar(',');
	if (cl >= 0)
		put_time(cl);
	printf(",%s,", outcome != NULL ? outcome : "");
	put_field(note);
	putchar('\n');
}

static void
usage(void)
{
	fprintf(stderr, "usage: gen [-s seed] -c | -T | -u\n"
	    "       gen [-v | -x] [-s seed] -n count\n");
	exit(2);
}

/*
 * Writes the units (-u), categories (-c), CASE_NOW (-T), or count
 * cases (-n) as CSV on stdout; -v makes every case overdue, -x every
 * case closed.
 */
int
main(int argc, char *argv[])
{
	static char obuf[1 << 16];
	const char *errstr = NULL;
	long long n = -1, i, seed = 1;
	int ch, what = 0, overdue = 0, closed = 0;
	char *end;

	while ((ch = getopt(argc, argv, "cn:s:Tuvx")) != -1)
		switch (ch) {
		case 'c':
		case 'T':
		case 'u':
			what = ch;
			break;
		case 'n':
			n = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || n < 1)
				errstr = optarg;
			what = 'n';
			break;
		case 's':
			seed = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0')
				errstr = optarg;
			break;
		case 'v':
			overdue = 1;
			break;
		case 'x':
			closed = 1;
			break;
		default:
			usage();
		}
	if (errstr != NULL)
		errx(2, "invalid number -- %s", errstr);
	if (what == 0 || optind != argc || (overdue && closed))
		usage();
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	/* The district is the same for every seed; only cases vary. */
	rng = 20240509;
	build_units();
	for (i = 0; i < NCAT; i++)
		catweight += cats[i].weight;
	rng = (uint64_t)seed * 0x2545f4914f6cdd1dULL + (overdue ? 7 : 0);
	switch (what) {
	case 'c':
		write_categories();
		break;
	case 'T':
		put_time(now_epoch());
		putchar('\n');
		break;
	case 'u':
		write_units();
		break;
	default:
		printf("reported,source,category,grid,location,reporter,title,"
		    "description,unit,status,due,assigned,closed,outcome,"
		    "outcome_note\n");
		for (i = 0; i < n; i++)
			one_case(i, n, overdue, closed);
	}
	if (fflush(stdout) == EOF || ferror(stdout))
		err(2, "stdout");
	return 0;
}
