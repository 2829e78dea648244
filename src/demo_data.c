#include "demo_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ tables */

/* Each name table is ordered roughly by real frequency (most common first);
 * pick_rank() turns the order into a Zipf-like skew. */
static const char *const fi_female[] = {
    "Maria", "Helena", "Johanna", "Anneli", "Kaarina", "Marjatta", "Anna", "Liisa",
    "Annikki", "Hannele", "Tuulikki", "Sofia", "Emilia", "Elina", "Kristiina", "Inkeri",
    "Susanna", "Katariina", "Aino", "Orvokki", "Elisabet", "Irmeli", "Marja", "Riitta",
    "Eeva", "Tuula", "Päivi", "Pirjo", "Sari", "Minna", "Tiina", "Anne",
    "Leena", "Pirkko", "Ritva", "Sirpa", "Merja", "Kirsi", "Satu", "Marjut",
    "Hanna", "Laura", "Emma", "Sanna", "Heidi", "Jenni", "Katja", "Elisa",
    "Veera", "Ella", "Aada", "Olivia", "Aurora", "Helmi", "Venla", "Lotta",
    "Iida", "Ilona", "Eveliina", "Amanda", "Julia", "Matilda", "Inka", "Emmi",
    "Essi", "Noora", "Milla", "Pauliina", "Anu", "Outi", "Mervi", "Terhi",
    "Heli", "Raija", "Seija", "Eila", "Aila", "Kyllikki", "Hilkka", "Aili",
    "Anja", "Marketta", "Annukka", "Anna-Liisa", "Marja-Leena", "Eeva-Liisa",
};
static const char *const fi_male[] = {
    "Juhani", "Johannes", "Olavi", "Antero", "Tapani", "Kalevi", "Mikael", "Ilmari",
    "Matti", "Timo", "Kari", "Pekka", "Mikko", "Jari", "Antti", "Jukka",
    "Markku", "Juha", "Heikki", "Petri", "Hannu", "Seppo", "Sami", "Ari",
    "Janne", "Erkki", "Jussi", "Pentti", "Tuomas", "Ville", "Jani", "Marko",
    "Mika", "Veikko", "Eino", "Tapio", "Kristian", "Henrik", "Petteri", "Oskari",
    "Eemeli", "Aleksi", "Onni", "Elias", "Leo", "Väinö", "Oliver", "Niilo",
    "Toivo", "Akseli", "Valtteri", "Lauri", "Joonas", "Teemu", "Tommi", "Jarmo",
    "Raimo", "Esa", "Reijo", "Pasi", "Jouni", "Risto", "Ilkka", "Kalle",
    "Aatu", "Eetu", "Lassi", "Otto", "Veeti", "Arttu", "Aapo", "Rasmus",
    "Samuel", "Jaakko", "Paavo", "Aarne", "Kai",
};
static const char *const sv_female[] = {
    "Åsa", "Ebba", "Linnea", "Ingrid", "Birgitta", "Margareta", "Kristina", "Karin",
    "Ulla", "Solveig", "Gunilla", "Maj-Britt", "Siv", "Agneta", "Elin", "Wilma",
    "Stina", "Ylva", "Annika", "Astrid",
};
static const char *const sv_male[] = {
    "Anders", "Björn", "Erik", "Lars", "Johan", "Fredrik", "Carl", "Gustav",
    "Nils", "Mats", "Stefan", "Göran", "Håkan", "Ulf", "Sven", "Kaj",
    "Rolf", "Patrik", "Mattias", "Axel", "Hugo", "Jesper",
};
/* For the English-speaking clients: residents from abroad. */
static const char *const en_female[] = {
    "Emily", "Sarah", "Jessica", "Olivia", "Sophie", "Grace", "Hannah", "Rachel",
    "Fatima", "Amina", "Mary", "Chloe",
};
static const char *const en_male[] = {
    "James", "John", "David", "Michael", "Daniel", "Thomas", "Mohamed", "Ahmed",
    "Robert", "William", "Peter", "Ryan",
};

static const char *const fi_last[] = {
    "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine",
    "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen",
    "Heinonen", "Niemi", "Heikkilä", "Kinnunen", "Salonen", "Turunen", "Salo",
    "Laitinen", "Tuominen", "Rantanen", "Karjalainen", "Jokinen", "Mattila",
    "Savolainen", "Lahtinen", "Ahonen", "Hiltunen", "Leinonen", "Miettinen", "Hirvonen",
    "Väisänen", "Pitkänen", "Aaltonen", "Ojala", "Manninen", "Kallio", "Heiskanen",
    "Leppänen", "Kärkkäinen", "Laaksonen", "Räsänen", "Mustonen", "Nurmi", "Anttila",
    "Laakso", "Rautiainen", "Seppälä", "Hakala", "Peltonen", "Koivisto", "Toivonen",
    "Moilanen", "Hyvönen", "Vainio", "Pulkkinen", "Kettunen", "Markkanen", "Jääskeläinen",
    "Rissanen", "Ketola", "Lehto", "Huttunen", "Partanen", "Saarela", "Keränen",
    "Toivanen", "Eskola", "Nurminen", "Harju", "Korpela", "Ikonen", "Anttonen",
    "Lappalainen", "Kivelä", "Oksanen", "Kauppinen", "Halonen", "Rantala", "Kokkonen",
    "Salmi", "Koponen", "Vartiainen", "Kuusisto", "Mikkonen", "Seppänen", "Pesonen",
    "Lampinen", "Aalto", "Hakkarainen", "Tikkanen", "Mäki", "Honkanen", "Suominen",
    "Rinne", "Koskela", "Komulainen", "Hietala", "Ruotsalainen", "Peltola", "Vuorinen",
    "Pelkonen", "Kemppainen", "Ahola", "Kukkonen", "Hautala", "Pietilä", "Tuomi",
    "Kokko", "Valtonen", "Sirviö", "Ojanen", "Vesterinen", "Pakarinen", "Ruokonen",
    "Hänninen", "Sillanpää", "Leino", "Jokela", "Kivinen", "Virta", "Lahti",
    "Koivula", "Mäenpää", "Tanskanen", "Kangas", "Niskanen", "Tolonen", "Asikainen",
    "Rajala", "Kurki", "Nykänen", "Huotari", "Laukkanen", "Lähteenmäki", "Kosonen",
    "Raatikainen", "Parkkinen", "Räty", "Aho", "Väänänen", "Kolehmainen", "Nousiainen",
    "Kivimäki", "Tirkkonen", "Jalonen", "Nevalainen", "Hokkanen", "Tiainen", "Määttä",
    "Pasanen", "Rautio", "Holopainen", "Karppinen", "Niemelä", "Martikainen", "Hytönen",
    "Karvonen", "Lehtola", "Laurila", "Saari", "Tervo", "Mäntylä", "Uusitalo",
    "Hyttinen", "Tiihonen", "Viitanen", "Eronen", "Ranta", "Sorsa", "Sipilä",
    "Huhtala", "Kujala", "Lehtimäki", "Nissinen", "Salmela", "Immonen", "Mononen",
    "Paananen", "Kantola", "Rintala", "Pekkala", "Hakulinen", "Karhu", "Koistinen",
    "Jaakkola", "Rönkkö", "Kumpulainen", "Halme", "Hannula", "Heino", "Järvelä",
    "Ylitalo", "Vuori", "Tuovinen", "Mikkola", "Hyvärinen", "Juntunen", "Kähkönen",
    "Pihlaja", "Ruuskanen", "Pennanen", "Pirinen", "Koivunen", "Kiviniemi", "Puustinen",
    "Makkonen", "Penttinen", "Jussila", "Kuusela", "Haapala", "Riikonen", "Sihvonen",
    "Rytkönen", "Räisänen", "Hartikainen", "Suhonen",
};
static const char *const sv_last[] = {
    "Lindholm", "Lindqvist", "Nyman", "Lindroos", "Lindberg", "Nyberg", "Holmström",
    "Sundström", "Björklund", "Lindström", "Öhman", "Åberg", "Sjöberg", "Lundqvist",
    "Backman", "Sjöblom", "Lindgren", "Lindfors", "Grönroos", "Forsström", "Strömberg",
    "Wikström", "Blomqvist", "Holmberg", "Eriksson", "Johansson", "Andersson",
    "Karlsson", "Nyström", "Berg", "Ekholm", "Granholm", "Westerlund", "Sandberg",
    "Sjöholm", "Östman", "Åström", "Engström", "Fagerström", "Söderholm",
};
static const char *const en_last[] = {
    "Smith", "Brown", "Jones", "Williams", "Taylor", "Wilson", "Murphy", "Kelly",
    "Ali", "Ahmed", "Hussein", "Nguyen", "Garcia", "Martin", "Walker", "Evans",
};

/* Posti's post offices with some of their postcodes. sv is the share of
 * Swedish speakers (per cent) among the generated residents; area the
 * landline area code. Weight ~ population. */
typedef struct office {
    const char *name;
    const char *codes;   /* space-separated five-digit codes */
    unsigned short weight, sv;
    const char *area;
} office;

static const office offices[] = {
    { "HELSINKI",
      "00100 00120 00130 00140 00150 00160 00170 00180 00200 00210 00220 00230 00240 "
      "00250 00260 00270 00280 00290 00300 00310 00320 00330 00340 00350 00360 00370 "
      "00380 00390 00400 00410 00420 00430 00440 00500 00510 00520 00530 00540 00550 "
      "00560 00570 00580 00600 00610 00620 00630 00640 00650 00660 00670 00680 00690 "
      "00700 00710 00720 00730 00740 00750 00760 00770 00780 00790 00800 00810 00820 "
      "00830 00840 00850 00870 00880 00900 00910 00920 00930 00940 00950 00960 00970 "
      "00980 00990", 200, 8, "09" },
    { "ESPOO",
      "02100 02110 02120 02130 02140 02150 02160 02170 02180 02200 02210 02230 02240 "
      "02250 02260 02270 02280 02300 02320 02330 02340 02360 02380 02600 02610 02620 "
      "02630 02650 02660 02680 02710 02720 02730 02740 02750 02760 02770 02780 02940 "
      "02970", 90, 9, "09" },
    { "VANTAA",
      "01200 01230 01260 01280 01300 01350 01360 01370 01380 01390 01400 01420 01450 "
      "01480 01510 01600 01610 01620 01630 01640 01650 01660 01670 01690 01700 01710 "
      "01730 01740 01750 01760", 75, 3, "09" },
    { "KAUNIAINEN", "02700", 3, 35, "09" },
    { "KIRKKONUMMI", "02400", 10, 16, "09" },
    { "KERAVA", "04200 04230 04250 04260", 9, 2, "09" },
    { "JÄRVENPÄÄ", "04400 04410 04420 04430", 10, 2, "09" },
    { "TUUSULA", "04300", 8, 2, "09" },
    { "NURMIJÄRVI", "01900", 7, 2, "09" },
    { "HYVINKÄÄ", "05800 05820 05830 05840 05880 05900", 11, 1, "019" },
    { "TURKU",
      "20100 20200 20210 20240 20250 20300 20320 20360 20380 20400 20500 20520 20540 "
      "20610 20700 20720 20740 20810 20900", 60, 6, "02" },
    { "KAARINA", "20780", 8, 3, "02" },
    { "RAISIO", "21200", 6, 2, "02" },
    { "NAANTALI", "21100", 5, 4, "02" },
    { "SALO", "24100", 12, 1, "02" },
    { "UUSIKAUPUNKI", "23500", 4, 1, "02" },
    { "RAUMA", "26100", 10, 1, "02" },
    { "PORI",
      "28100 28120 28130 28190 28200 28220 28300 28330 28360 28500 28540 28600 28610 "
      "28660 28900", 28, 1, "02" },
    { "TAMPERE",
      "33100 33180 33200 33210 33230 33240 33250 33270 33300 33310 33400 33410 33420 "
      "33500 33520 33540 33560 33580 33610 33700 33710 33720 33730 33800 33820 33840 "
      "33900", 75, 1, "03" },
    { "PIRKKALA", "33960", 5, 1, "03" },
    { "YLÖJÄRVI", "33470", 7, 1, "03" },
    { "NOKIA", "37100", 7, 1, "03" },
    { "KANGASALA", "36200", 7, 1, "03" },
    { "HÄMEENLINNA", "13100 13200 13210", 14, 1, "03" },
    { "FORSSA", "30100", 4, 1, "03" },
    { "RIIHIMÄKI", "11100", 6, 1, "019" },
    { "HEINOLA", "18100", 4, 1, "03" },
    { "LAHTI",
      "15100 15110 15140 15150 15160 15170 15200 15210 15240 15300 15340 15500 15610 "
      "15680 15900", 40, 1, "03" },
    { "OULU",
      "90100 90120 90130 90140 90150 90220 90230 90240 90250 90400 90420 90500 90510 "
      "90520 90540 90550 90560 90570 90580 90590 90620 90630 90650 90660 90800",
      65, 1, "08" },
    { "RAAHE", "92100", 5, 1, "08" },
    { "KAJAANI", "87100", 9, 1, "08" },
    { "JYVÄSKYLÄ",
      "40100 40200 40250 40320 40340 40400 40500 40520 40530 40600 40620 40630 40640 "
      "40700 40720 40740", 45, 1, "014" },
    { "MUURAME", "40950", 2, 1, "014" },
    { "VAASA", "65100 65200 65230 65280 65300 65320 65350 65370 65380", 22, 24, "06" },
    { "SEINÄJOKI", "60100", 13, 1, "06" },
    { "KOKKOLA", "67100", 10, 10, "06" },
    { "PIETARSAARI", "68600", 5, 55, "06" },
    { "NÄRPIÖ", "64200", 2, 85, "06" },
    { "KRISTIINANKAUPUNKI", "64100", 2, 55, "06" },
    { "KUOPIO",
      "70100 70110 70150 70200 70210 70300 70340 70420 70460 70500 70600 70620 70700 "
      "70780 70800 70820 70840 70870", 40, 1, "017" },
    { "IISALMI", "74100", 5, 1, "017" },
    { "VARKAUS", "78200", 5, 1, "017" },
    { "ROVANIEMI", "96100 96190 96200 96300 96400 96440 96460 96500", 20, 1, "016" },
    { "KEMI", "94100", 5, 1, "016" },
    { "TORNIO", "95400", 5, 1, "016" },
    { "PORVOO", "06100 06150 06400 06450 06500", 17, 30, "019" },
    { "LOVIISA", "07900", 4, 40, "019" },
    { "TAMMISAARI", "10600", 4, 80, "019" },
    { "LOHJA", "08100", 12, 3, "019" },
    { "MARIEHAMN", "22100 22110 22120", 8, 90, "018" },
    { "KOTKA", "48100", 13, 1, "05" },
    { "KOUVOLA", "45100", 20, 1, "05" },
    { "LAPPEENRANTA", "53100", 19, 1, "05" },
    { "IMATRA", "55100", 6, 1, "05" },
    { "MIKKELI", "50100", 13, 1, "015" },
    { "SAVONLINNA", "57100", 8, 1, "015" },
    { "JOENSUU", "80100", 18, 1, "013" },
};
#define MAX_PLACES 512

static const char *const streets[] = {
    "Kauppakatu", "Koulukatu", "Puistokatu", "Rantatie", "Kirkkokatu", "Asemakatu",
    "Rautatienkatu", "Torikatu", "Satamakatu", "Kalevankatu", "Sepänkatu", "Myllytie",
    "Koivukuja", "Kuusitie", "Männikkötie", "Pihlajatie", "Vaahteratie", "Haapatie",
    "Tammikatu", "Lehtikuja", "Kalliotie", "Harjutie", "Mäkitie", "Kotikatu",
    "Peltotie", "Niittytie", "Lähdetie", "Metsätie", "Järvitie", "Rinnetie",
    "Urheilukatu", "Tehtaankatu", "Pajatie", "Kirkkotie", "Kauppatie", "Keskuskatu",
    "Isokatu", "Hallituskatu", "Kaivokatu", "Vapaudenkatu", "Väinönkatu", "Ilmarinkatu",
    "Sibeliuksenkatu", "Runeberginkatu", "Topeliuksenkatu", "Kuninkaankatu",
    "Linnankatu", "Yliopistonkatu", "Aleksanterinkatu", "Mannerheimintie", "Hämeenkatu",
    "Hämeentie", "Pohjolankatu", "Kielotie", "Ruusutie", "Tuulimyllyntie",
};
/* Mariehamn, and Swedish speakers' own form in bilingual towns. */
static const char *const sv_streets[] = {
    "Storagatan", "Skolgatan", "Strandvägen", "Torggatan", "Kyrkogatan", "Parkgatan",
    "Skogsvägen", "Bygatan", "Hamngatan", "Norra Esplanadgatan", "Ålandsvägen",
    "Nygatan",
};

/* Children draw from the first five only; the last one is for 60+. */
static const char *const interests[] = {
    "liikunta", "hammashoito", "rokotukset", "lasten terveys", "ravitsemus",
    "hieronta", "fysioterapia", "kauneudenhoito", "painonhallinta", "uniterveys", "jooga",
    "silmäterveys", "työhyvinvointi", "ikääntyneiden palvelut",
};
#define CHILD_INTERESTS 5

static const char *const ev_service[] = {
    "Hammastarkastus", "Fysioterapiakäynti", "Hieronta 60 min", "Ravitsemusneuvonta",
    "Vastaanottokäynti", "Laboratoriokokeet", "Suuhygienistin käynti", "Rokotus",
    "Näöntarkastus", "Kontrollikäynti", "Etävastaanotto", "Hammaskiven poisto",
};
static const char *const ev_purchase[] = {
    "Lahjakortti 50 euroa", "Hammasharja ja hammastahna", "Sarjakortti 10 kertaa",
    "Tukisukat", "Vitamiinivalmiste", "Silmätipat", "Jumppakuminauha",
};
static const char *const ev_cancel[] = {
    "Peruutti ajan sairastumisen vuoksi", "Peruutus alle 24 h ennen", "Ei saapunut vastaanotolle",
    "Siirsi ajan seuraavalle viikolle", "Peruutti ajan työesteen vuoksi",
};
static const char *const ev_feedback[] = {
    "Kiitos ystävällisestä palvelusta", "Odotusaika oli pitkä", "Ajanvaraus toimi hyvin",
    "Toivoo iltavastaanottoaikoja", "Pysäköintipaikkoja liian vähän", "Erinomainen hoito",
};
static const char *const source_notes[] = {
    "ajanvarauksen yhteydessä", "vastaanotolla", "verkkoajanvaraus", "puhelimitse",
};
static const char *const other_infos[] = {
    "Toivoo aamupäivän aikoja.", "Toivoo yhteydenottoa vain arkisin.",
    "Ei halua muistutusviestejä.", "Toivoo laskun paperisena.", "Tulee yleensä pyörällä.",
};

static const char *const org_kinds[] = {
    "Hammaslääkäriasema", "Lääkärikeskus", "Fysioterapia", "Hierontapalvelu",
    "Kauneushoitola", "Rakennuspalvelu", "Kiinteistöhuolto", "Tilitoimisto",
    "Siivouspalvelu", "Kuljetus", "Konepaja", "Sähköasennus", "Ravintola", "Kukkakauppa",
    "Autokorjaamo", "Mainostoimisto",
};
static const char *const org_words[] = {
    "Koivu", "Kuusi", "Pihlaja", "Tammi", "Kallio", "Aalto", "Revontuli", "Kaisla",
    "Lumme", "Kataja", "Ilves", "Kettu", "Sampo", "Tähti", "Helmi", "Kotka", "Saaristo",
    "Kanerva", "Nordic", "Pohjola",
};
static const struct {
    const char *position, *role;
} positions[] = {
    { "toimitusjohtaja", "decision_maker" }, { "yrittäjä", "decision_maker" },
    { "hallituksen puheenjohtaja", "decision_maker" }, { "talouspäällikkö", "billing" },
    { "kirjanpitäjä", "billing" }, { "reskontranhoitaja", "billing" },
    { "toimistosihteeri", "administration" }, { "hallintoassistentti", "administration" },
    { "henkilöstöpäällikkö", "administration" }, { "IT-päällikkö", "technical" },
    { "tekninen johtaja", "technical" }, { "huoltopäällikkö", "technical" },
};
static const char *const mobile_prefixes[] = { "040", "041", "044", "045", "046", "050" };
static const char *const email_domains[] = { "example.com", "example.org", "example.net" };

/* Birth years by decade from 1925, a rough clinic clientele. */
static const unsigned decade_weight[10] = { 2, 5, 10, 12, 12, 12, 12, 10, 6, 4 };

/* ----------------------------------------------------------------- calendar */

/* Days since 1970-01-01 (H. Hinnant's algorithm): fast and branch-light,
 * which matters at a million clients. */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static rk_date civil_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int y = (int)(yoe + era * 400) + (m <= 2);
    return (rk_date){ y, m, d };
}

/* A tiny string builder: snprintf was half the time of a million clients. */
typedef struct sb {
    char *p;
    size_t cap, len;   /* cap includes the NUL */
} sb;

static sb sb_on(char *buf, size_t cap)
{
    buf[0] = '\0';
    return (sb){ buf, cap, 0 };
}

static void sb_c(sb *b, char c)
{
    if (b->len + 1 < b->cap) {
        b->p[b->len++] = c;
        b->p[b->len] = '\0';
    }
}

static void sb_s(sb *b, const char *s)
{
    while (*s)
        sb_c(b, *s++);
}

/* Decimal, zero-padded to at least width digits. */
static void sb_u(sb *b, unsigned v, int width)
{
    char d[12];
    int n = 0;
    do {
        d[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < width);
    while (n)
        sb_c(b, d[--n]);
}

static void iso(long day, char out[RK_DATE_ISO_SIZE])
{
    rk_date d = civil_from_days(day);
    sb b = sb_on(out, RK_DATE_ISO_SIZE);
    sb_u(&b, (unsigned)d.year, 4);
    sb_c(&b, '-');
    sb_u(&b, (unsigned)d.month, 2);
    sb_c(&b, '-');
    sb_u(&b, (unsigned)d.day, 2);
}

#define BIRTH_FIRST_YEAR 1925
#define BIRTH_LAST_YEAR  2024
/* Fixed, not today's date: the output must not change with the clock. */
#define DATA_END_Y 2025
#define DATA_START_Y 2015

/* -------------------------------------------------------------- generator */

/* Temporary individual numbers 900-999: bit (n - 900) of one day's pair. */
typedef uint64_t day_bits[2];

typedef struct picker {
    const char *const *items;
    uint32_t n;
    uint32_t cum[256];
} picker;

struct rk_demo_gen {
    uint64_t s[4];                 /* xoshiro256** state */
    long birth_first, birth_days;  /* day numbers of the birth range */
    day_bits *hetu_used;
    picker fi_f, fi_m, sv_f, sv_m, en_f, en_m, fi_l, sv_l, en_l;
    uint32_t nplaces;
    struct {
        char code[RK_POSTCODE_SIZE];
        uint16_t office;
    } place[MAX_PLACES];
    uint32_t place_cum[MAX_PLACES];
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t rk_demo_gen_u64(rk_demo_gen *g)
{
    uint64_t *s = g->s;
    uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
}

/* Multiply-shift instead of modulo: no division; bias at most n / 2^32. */
uint32_t rk_demo_gen_below(rk_demo_gen *g, uint32_t n)
{
    return (uint32_t)(((rk_demo_gen_u64(g) >> 32) * n) >> 32);
}

static uint32_t below(rk_demo_gen *g, uint32_t n) { return rk_demo_gen_below(g, n); }
/* True with probability per10k / 10000. */
static bool chance(rk_demo_gen *g, uint32_t per10k) { return below(g, 10000) < per10k; }
#define ONE_OF(g, a) ((a)[below((g), RK_ARRAY_LEN(a))])

/* Smallest i with cum[i] > r: cum is strictly increasing. */
static uint32_t search_cum(const uint32_t *cum, uint32_t n, uint32_t r)
{
    uint32_t lo = 0, hi = n - 1;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (cum[mid] > r)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Weight 1/(rank + 30): the top name is about four times as common as the
 * hundredth and eight times the two hundredth, close to the population
 * register's name statistics. */
static void picker_init(picker *p, const char *const *items, size_t n)
{
    uint32_t sum = 0;
    p->items = items;
    p->n = (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
        sum += 1000000u / (uint32_t)(i + 30);
        p->cum[i] = sum;
    }
}

static const char *pick(rk_demo_gen *g, const picker *p)
{
    return p->items[search_cum(p->cum, p->n, below(g, p->cum[p->n - 1]))];
}

rk_demo_gen *rk_demo_gen_new(uint64_t seed)
{
    rk_demo_gen *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    for (int i = 0; i < 4; i++)
        g->s[i] = splitmix64(&seed);
    g->birth_first = days_from_civil(BIRTH_FIRST_YEAR, 1, 1);
    g->birth_days = days_from_civil(BIRTH_LAST_YEAR + 1, 1, 1) - g->birth_first;
    g->hetu_used = calloc((size_t)g->birth_days, sizeof *g->hetu_used);
    if (!g->hetu_used) {
        free(g);
        return NULL;
    }
#define INIT(p, t)                                                              \
    do {                                                                        \
        _Static_assert(RK_ARRAY_LEN(t) <= RK_ARRAY_LEN(g->p.cum), "table " #t); \
        picker_init(&g->p, t, RK_ARRAY_LEN(t));                                 \
    } while (0)
    INIT(fi_f, fi_female); INIT(fi_m, fi_male); INIT(sv_f, sv_female); INIT(sv_m, sv_male);
    INIT(en_f, en_female); INIT(en_m, en_male);
    INIT(fi_l, fi_last); INIT(sv_l, sv_last); INIT(en_l, en_last);
#undef INIT

    /* Each office's weight is shared among its postcodes. */
    uint32_t sum = 0;
    for (size_t o = 0; o < RK_ARRAY_LEN(offices); o++) {
        size_t ncodes = (strlen(offices[o].codes) + 1) / 6;
        for (size_t k = 0; k < ncodes && g->nplaces < MAX_PLACES; k++) {
            memcpy(g->place[g->nplaces].code, offices[o].codes + 6 * k, 5);
            g->place[g->nplaces].code[5] = '\0';
            g->place[g->nplaces].office = (uint16_t)o;
            sum += (uint32_t)(offices[o].weight * 10000u / ncodes);
            g->place_cum[g->nplaces++] = sum;
        }
    }
    return g;
}

void rk_demo_gen_free(rk_demo_gen *g)
{
    if (g) {
        free(g->hetu_used);
        free(g);
    }
}

const char *rk_demo_post_office(const char *postcode)
{
    if (!postcode || strlen(postcode) != 5)
        return NULL;
    for (size_t o = 0; o < RK_ARRAY_LEN(offices); o++)
        for (const char *p = offices[o].codes; *p; p += p[5] ? 6 : 5)
            if (memcmp(p, postcode, 5) == 0)
                return offices[o].name;
    return NULL;
}

size_t rk_demo_postcode_count(void)
{
    size_t n = 0;
    for (size_t o = 0; o < RK_ARRAY_LEN(offices); o++)
        n += (strlen(offices[o].codes) + 1) / 6;
    return n;
}

/* ------------------------------------------------------------------ pieces */

/* Lower-case ASCII for e-mail: ä, å -> a, ö -> o, é -> e, ü -> u; other
 * non-ASCII and spaces dropped. */
static size_t ascii_fold(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && k + 1 < n; p++) {
        char c = 0;
        if (*p == 0xC3 && p[1]) {
            switch (p[1] | 0x20) {   /* 0x84 Ä -> 0xA4 ä and so on */
            case 0xA4: case 0xA5: c = 'a'; break;
            case 0xB6: c = 'o'; break;
            case 0xA9: c = 'e'; break;
            case 0xBC: c = 'u'; break;
            default: break;
            }
            p++;
        } else if (*p >= 'A' && *p <= 'Z') {
            c = (char)(*p + 32);
        } else if ((*p >= 'a' && *p <= 'z') || *p == '-') {
            c = (char)*p;
        }
        if (c)
            out[k++] = c;
    }
    out[k] = '\0';
    return k;
}

/* Given names: 1-3 distinct names from one gender's tables. */
static void given_names(rk_demo_gen *g, const picker *main, const picker *alt,
                        uint32_t alt_per10k, char *out, size_t n)
{
    uint32_t r = below(g, 100);
    int count = r < 15 ? 1 : r < 75 ? 2 : 3;
    const char *chosen[3];
    sb b = sb_on(out, n);
    for (int i = 0; i < count; i++) {
        const char *name;
        bool dup;
        int tries = 0;
        do {
            name = pick(g, chance(g, alt_per10k) ? alt : main);
            dup = false;
            for (int j = 0; j < i; j++)
                dup |= chosen[j] == name;
        } while (dup && ++tries < 8);
        if (dup)
            break;
        chosen[i] = name;
        if (i)
            sb_c(&b, ' ');
        sb_s(&b, name);
    }
}

/* Takes a free temporary number of the right parity on that day. */
static int take_individual(rk_demo_gen *g, long day, bool male)
{
    uint64_t *bits = g->hetu_used[day - g->birth_first];
    uint32_t start = below(g, 50);
    for (uint32_t k = 0; k < 50; k++) {
        int b = (int)(2 * ((start + k) % 50)) + male;   /* 900 is even: female */
        if (!(bits[b >> 6] >> (b & 63) & 1)) {
            bits[b >> 6] |= 1ULL << (b & 63);
            return 900 + b;
        }
    }
    return -1;
}

static long birth_day(rk_demo_gen *g, bool working_age)
{
    if (working_age) {   /* 22-70 in the data's years */
        long first = days_from_civil(1955, 1, 1), last = days_from_civil(2003, 12, 31);
        return first + below(g, (uint32_t)(last - first + 1));
    }
    uint32_t total = 0;
    for (int d = 0; d < 10; d++)
        total += decade_weight[d];
    uint32_t r = below(g, total);
    int d = 0;
    while (r >= decade_weight[d])
        r -= decade_weight[d++];
    long first = days_from_civil(BIRTH_FIRST_YEAR + 10 * d, 1, 1);
    long end = days_from_civil(BIRTH_FIRST_YEAR + 10 * d + 10, 1, 1);
    return first + below(g, (uint32_t)(end - first));
}

/* A phone number in one of the written forms people use; the setter
 * normalises them all to E.164. */
static void mobile_number(rk_demo_gen *g, char *out, size_t n)
{
    const char *pre = ONE_OF(g, mobile_prefixes);
    uint32_t form = below(g, 4);
    const char *sep[4][2] = { { "", "" }, { " ", " " }, { "-", "" }, { " ", " " } };
    sb b = sb_on(out, n);
    if (form == 3) {
        sb_s(&b, "+358 ");
        pre++;
    }
    sb_s(&b, pre);
    sb_s(&b, sep[form][0]);
    sb_u(&b, below(g, 1000), 3);
    sb_s(&b, sep[form][1]);
    sb_u(&b, below(g, 10000), 4);
}

static void landline_number(rk_demo_gen *g, const char *area, char *out, size_t n)
{
    bool parens = below(g, 3) == 0;
    sb b = sb_on(out, n);
    sb_s(&b, parens ? "(" : "");
    sb_s(&b, area);
    sb_s(&b, parens ? ") " : " ");
    sb_u(&b, 200 + below(g, 700), 3);
    sb_c(&b, ' ');
    sb_u(&b, below(g, 10000), 4);
}

static const char *event_text(rk_demo_gen *g, const char **kind)
{
    switch (below(g, 10)) {
    case 0: case 1: *kind = "purchase"; return ONE_OF(g, ev_purchase);
    case 2: *kind = "cancellation"; return ONE_OF(g, ev_cancel);
    case 3: *kind = "feedback"; return ONE_OF(g, ev_feedback);
    default: *kind = "service"; return ONE_OF(g, ev_service);
    }
}

/* One organisation per Y-tunnus: its name and e-invoicing follow from the
 * number alone, so contacts who share an ID work at the same place. */
static void organisation(const rk_demo_gen *g, uint32_t k, char *out, size_t n, bool *einvoice)
{
    uint64_t x = 0x4f7267616e697361ULL ^ k;
#define R(m) ((uint32_t)(((splitmix64(&x) >> 32) * (m)) >> 32))
    uint32_t form = R(10);
    const char *kind = org_kinds[R(RK_ARRAY_LEN(org_kinds))];
    const picker *fl = &g->fi_l;
    const char *surname = fl->items[search_cum(fl->cum, fl->n, R(fl->cum[fl->n - 1]))];
    const char *word = R(2) ? surname : org_words[R(RK_ARRAY_LEN(org_words))];
    *einvoice = form > 0 && R(2);
#undef R
    if (form == 0)
        snprintf(out, n, "Tmi %s", surname);
    else if (form == 1)
        snprintf(out, n, "%s %s Ky", kind, word);
    else
        snprintf(out, n, "%s %s Oy", kind, word);
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* ------------------------------------------------------------------ client */

#define TRY(call)                        \
    do {                                 \
        int rc_ = (call);                \
        if (rc_ != RK_OK)                \
            return rc_;                  \
    } while (0)

int rk_demo_gen_client(rk_demo_gen *g, rk_client *c, rk_err *err)
{
    char buf[256], norm[RK_PHONE_SIZE];

    /* Where first: the language share depends on the town. */
    uint32_t pi = search_cum(g->place_cum, g->nplaces, below(g, g->place_cum[g->nplaces - 1]));
    const office *of = &offices[g->place[pi].office];
    const char *lang = chance(g, 100u * of->sv) ? "sv" : chance(g, 200) ? "en" : "fi";
    bool sv = lang[0] == 's', en = lang[0] == 'e';

    uint32_t gr = below(g, 10000);
    const char *gender = gr < 5050 ? "female" : gr < 9950 ? "male"
                       : gr < 9970 ? "other" : "unknown";
    bool male = gender[0] == 'm' || (gender[0] != 'f' && (gr & 1));
    bool business = chance(g, 800);

    /* Names: Swedish speakers mostly have Swedish names, some Finnish
     * speakers too; English speakers are residents from abroad. */
    const picker *fn = male ? &g->fi_m : &g->fi_f;
    const picker *svn = male ? &g->sv_m : &g->sv_f;
    if (sv)
        given_names(g, svn, fn, 2500, buf, sizeof buf);
    else if (en && chance(g, 7000))
        given_names(g, male ? &g->en_m : &g->en_f, fn, 1000, buf, sizeof buf);
    else
        given_names(g, fn, svn, 200, buf, sizeof buf);
    TRY(rk_client_set(c, RK_F_FIRST_NAMES, buf, err));
    char first[64];
    sb fb = sb_on(first, sizeof first);
    for (const char *p = buf; *p && *p != ' '; p++)
        sb_c(&fb, *p);

    const char *last = sv ? pick(g, chance(g, 6500) ? &g->sv_l : &g->fi_l)
                     : en && chance(g, 7000) ? pick(g, &g->en_l)
                     : pick(g, chance(g, 500) ? &g->sv_l : &g->fi_l);
    sb b = sb_on(buf, sizeof buf);
    sb_s(&b, last);
    if (!en && chance(g, 150)) {   /* double-barrelled, as after marriage */
        sb_c(&b, '-');
        sb_s(&b, pick(g, &g->fi_l));
    }
    TRY(rk_client_set(c, RK_F_LAST_NAME, buf, err));
    char last_ascii[64], first_ascii[64];
    ascii_fold(buf, last_ascii, sizeof last_ascii);
    ascii_fold(first, first_ascii, sizeof first_ascii);

    /* Birth date and henkilötunnus; ~3% have none (birth date only). */
    long born = birth_day(g, business);
    bool has_hetu = !chance(g, 300);
    int individual = -1;
    for (int tries = 0; has_hetu && individual < 0 && tries < 16; tries++) {
        if (tries)
            born = birth_day(g, business);
        individual = take_individual(g, born, male);
    }
    rk_date bd = civil_from_days(born);
    iso(born, buf);
    TRY(rk_client_set(c, RK_F_BIRTH_DATE, buf, err));
    if (individual > 0) {
        /* A few codes with the century signs added in 2023. */
        char sign = '\0';
        if (chance(g, 200))
            sign = bd.year >= 2000 ? "BCDEF"[below(g, 5)] : "YXWVU"[below(g, 5)];
        char hetu[RK_HETU_SIZE];
        TRY(rk_hetu_make(&bd, individual, sign, hetu, err));
        TRY(rk_client_set(c, RK_F_HETU, hetu, err));
    }
    TRY(rk_client_set(c, RK_F_GENDER, gender, err));
    TRY(rk_client_set(c, RK_F_LANGUAGE, lang, err));

    /* Address. */
    bool sv_street = of->sv >= 90 || (sv && of->sv >= 20 && chance(g, 5000));
    const char *street = sv_street ? ONE_OF(g, sv_streets) : ONE_OF(g, streets);
    uint32_t house = 1 + (below(g, 4) ? below(g, 40) : below(g, 120));
    uint32_t form = below(g, 100);
    b = sb_on(buf, sizeof buf);
    sb_s(&b, street);
    sb_c(&b, ' ');
    sb_u(&b, house, 1);
    if (form < 40) {   /* staircase and flat */
        sb_c(&b, ' ');
        sb_c(&b, "ABCD"[below(g, 4)]);
        sb_c(&b, ' ');
        sb_u(&b, 1 + below(g, 60), 1);
    } else if (form < 45) {
        sb_s(&b, " as. ");
        sb_u(&b, 1 + below(g, 8), 1);
    }
    TRY(rk_client_set(c, RK_F_STREET, buf, err));
    TRY(rk_client_set(c, RK_F_POSTCODE, g->place[pi].code, err));
    TRY(rk_client_set(c, RK_F_POST_OFFICE, of->name, err));
    TRY(rk_client_set(c, RK_F_COUNTRY, "FI", err));

    /* Phones: 1-2, mostly mobile. */
    bool has_mobile = false;
    int nphones = chance(g, 2000) ? 2 : 1;
    for (int i = 0; i < nphones; i++) {
        bool mobile = i == 0 ? chance(g, 9000) : chance(g, 4000);
        if (mobile)
            mobile_number(g, buf, sizeof buf);
        else
            landline_number(g, of->area, buf, sizeof buf);
        const char *type = mobile ? "mobile" : business ? "work" : "home";
        if (i && rk_phone_normalise(buf, norm, NULL) == RK_OK &&
            strcmp(norm, c->phones[0].number) == 0)
            continue;   /* the same random number twice: one phone is enough */
        TRY(rk_client_add_phone(c, type, buf, err));
        has_mobile |= mobile;
    }

    /* E-mail: 0-2, from the names, at reserved domains only. Children
     * seldom have one of their own. */
    int age = DATA_END_Y - bd.year;
    uint32_t er = below(g, 100);
    int nemails = age < 13 ? (er < 85 ? 0 : 1) : er < 18 ? 0 : er < 85 ? 1 : 2;
    if (business && nemails == 0)
        nemails = 1;
    for (int i = 0; i < nemails; i++) {
        const char *dom = ONE_OF(g, email_domains);
        b = sb_on(buf, sizeof buf);
        switch ((below(g, 5) + (uint32_t)i * 2) % 5) {
        case 0: sb_s(&b, first_ascii); sb_c(&b, '.'); sb_s(&b, last_ascii); break;
        case 1: sb_s(&b, first_ascii); sb_c(&b, '.'); sb_s(&b, last_ascii);
                sb_u(&b, 1 + below(g, 99), 1); break;
        case 2: sb_c(&b, first_ascii[0]); sb_c(&b, '.'); sb_s(&b, last_ascii); break;
        case 3: sb_s(&b, first_ascii); sb_s(&b, last_ascii); break;
        default: sb_s(&b, last_ascii); sb_c(&b, '.'); sb_s(&b, first_ascii); break;
        }
        sb_c(&b, '@');
        sb_s(&b, dom);
        const char *type = business && i == 0 ? "work" : "personal";
        if (i && strcmp(buf, c->emails[0].address) == 0)
            continue;   /* the same pattern twice */
        TRY(rk_client_add_email(c, type, buf, err));
    }

    /* Business contact: synthetic organisation and Y-tunnus 39xxxxx-C. */
    if (business) {
        uint32_t k;
        char seven[8], check;
        do {
            k = below(g, 100000);
            snprintf(seven, sizeof seven, "39%05u", k);
            check = rk_ytunnus_check_digit(seven);
        } while (check == '\0');   /* remainder 1: no valid ID with these digits */
        bool einvoice;
        organisation(g, k, buf, sizeof buf, &einvoice);
        TRY(rk_client_set(c, RK_F_ORGANISATION, buf, err));
        snprintf(buf, sizeof buf, "%s-%c", seven, check);
        TRY(rk_client_set(c, RK_F_YTUNNUS, buf, err));
        uint32_t p = below(g, RK_ARRAY_LEN(positions));
        TRY(rk_client_set(c, RK_F_POSITION, positions[p].position, err));
        TRY(rk_client_set(c, RK_F_CONTACT_ROLE, positions[p].role, err));
        if (einvoice) {   /* OVT e-invoice address: 0037 + Y-tunnus digits */
            snprintf(buf, sizeof buf, "0037%s%c", seven, check);
            TRY(rk_client_set(c, RK_F_EINVOICE_ADDRESS, buf, err));
        }
    }

    /* Protections. */
    if (chance(g, 50))
        TRY(rk_client_set(c, RK_F_TURVAKIELTO, "1", err));
    if (chance(g, 200)) {
        static const char *const bans[] = {
            "direct_marketing", "direct_marketing,market_research", "market_research",
            "direct_marketing,address_service,genealogy", "address_service",
        };
        TRY(rk_client_set(c, RK_F_POPREG_BANS, ONE_OF(g, bans), err));
    }

    /* Preferred channel among the ones the client has. */
    const char *channel = "post";
    uint32_t cr = below(g, 100);
    if (c->nemails && cr < 45)
        channel = "email";
    else if (has_mobile && cr < 80)
        channel = "sms";
    else if (c->nphones && cr < 92)
        channel = "phone";
    TRY(rk_client_set(c, RK_F_PREFERRED_CHANNEL, channel, err));

    uint32_t lr = below(g, 100);
    TRY(rk_client_set(c, RK_F_LOYALTY,
                      lr < 60 ? "none" : lr < 85 ? "member" : lr < 95 ? "silver" : "gold", err));

    if (chance(g, 5500)) {
        int n = 1 + (int)below(g, 3);
        const char *had[3];
        b = sb_on(buf, sizeof buf);
        for (int i = 0; i < n; i++) {
            uint32_t span = age < 16 ? CHILD_INTERESTS
                          : age < 60 ? (uint32_t)RK_ARRAY_LEN(interests) - 1
                                     : (uint32_t)RK_ARRAY_LEN(interests);
            const char *it = interests[below(g, span)];
            bool dup = false;
            for (int j = 0; j < i; j++)
                dup |= had[j] == it;
            if (dup) {
                had[i] = NULL;
                continue;
            }
            had[i] = it;
            if (b.len)
                sb_s(&b, ", ");
            sb_s(&b, it);
        }
        TRY(rk_client_set(c, RK_F_INTERESTS, buf, err));
    }
    if (chance(g, 400))
        TRY(rk_client_set(c, RK_F_OTHER_INFO, ONE_OF(g, other_infos), err));
    uint32_t bill = below(g, 1000);
    if (bill < 35)
        TRY(rk_client_set(c, RK_F_COLLECTION,
                          bill < 20 ? "reminder" : bill < 25 ? "collection" : "settled", err));

    /* Where the data came from, then 0-3 events after that. */
    long data_first = days_from_civil(DATA_START_Y, 1, 1);
    long data_end = days_from_civil(DATA_END_Y, 12, 31);
    long since = born > data_first ? born : data_first;
    long reg = since + below(g, (uint32_t)(data_end - since + 1));
    iso(reg, buf);
    uint32_t sr = below(g, 100);
    if (sr < 85)
        TRY(rk_client_add_source(c, "client", buf,
                                 civil_from_days(reg).year - bd.year < 15
                                     ? "huoltajan ilmoittama" : ONE_OF(g, source_notes),
                                 err));
    else if (sr < 95)
        TRY(rk_client_add_source(c, "population_register", buf,
                                 "osoitetiedot väestötietojärjestelmästä", err));
    else
        TRY(rk_client_add_source(c, "import", buf, "vanhasta asiakasrekisteristä", err));
    if (chance(g, 800)) {
        iso(reg + below(g, (uint32_t)(data_end - reg + 1)), buf);
        TRY(rk_client_add_source(c, "population_register", buf, "osoitteen päivitys", err));
    }

    int nev = (int)below(g, 4);
    long when[3];
    for (int i = 0; i < nev; i++)
        when[i] = reg + below(g, (uint32_t)(data_end - reg + 1));
    qsort(when, (size_t)nev, sizeof when[0], cmp_long);
    for (int i = 0; i < nev; i++) {
        const char *kind;
        const char *text = event_text(g, &kind);
        iso(when[i], buf);
        TRY(rk_client_add_event(c, buf, kind, text, err));
    }
    return RK_OK;
}
