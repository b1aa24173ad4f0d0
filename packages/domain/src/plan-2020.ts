import { issuingDepartmentCodes } from "./departments.js";
import type { Measure, PlanDocument, Section } from "./types.js";

/*
 * The 2020 opinions as data. The English text is the translation published by SMM on 24 July 2020, kept in this
 * package as data/opinions-2020-sme-support-system.txt; plan-2020.test.ts checks every string here against it.
 * Texts are kept exactly as published, including the translation's odd capitals and missing full stops. Where
 * words are lost, the measure is flagged `textCut` and nothing is filled in: an invented word in a government
 * document is worse than a visible gap.
 */

const sections: readonly Section[] = [
  { number: 1, numeral: "I", title: "improving the basic system to support the development of small and medium-sized enterprises" },
  { number: 2, numeral: "II", title: "Adhere to and improve the fiscal and tax support system for small and medium-sized enterprises" },
  { number: 3, numeral: "III", title: "Adhere to and improve the financing promotion system for small and medium-sized enterprises" },
  { number: 4, numeral: "IV", title: "Establishing and improving the Innovation and Development system for small and medium-sized Enterprises" },
  { number: 5, numeral: "V", title: "improve and optimize the service system for small and medium-sized enterprises" },
  { number: 6, numeral: "VI", title: "Establish and improve the legal rights and interests protection system for small and medium-sized enterprises" },
  { number: 7, numeral: "VII", title: "Strengthening the organizational leadership system for promoting the Development of small and medium-sized Enterprises" },
];

const measures: readonly Measure[] = [
  {
    number: 1,
    section: 1,
    title: "to improve the system of laws and regulations for small and medium-sized enterprises",
    text: "to improve the system of laws and regulations for small and medium-sized enterprises. On the basis of the Law on the Promotion of small and medium-sized Enterprises, we will speed up the construction of a system of laws and regulations with Chinese characteristics, supporting the development of small and medium-sized enterprises, and protecting the legitimate rights Encourage local governments to formulate local laws and regulations to promote the development of small and medium-sized enterprises according to law. Explore the establishment of laws and regulations evaluation system and implementation inspection system for small and medium-sized enterprises, and urge the implementation of laws and regulations in place.",
    textCut: true,
  },
  {
    number: 2,
    section: 1,
    title: "adhere to the system of fair competition",
    text: "adhere to the system of fair competition. We will fully implement the negative list system for market access, treat small and medium-sized enterprises fairly and fairly, remove unreasonable thresholds and restrictions, and achieve equal rights, opportunities and rules for large and medium-sized enterprises and the economy of all forms of ownership. We will fully implement the fair competition review system, improve the review process and standards, and establish and improve the fair competition review complaint, publicity, and spot inspection system. We will strengthen and improve anti-monopoly and anti-unfair competition law enforcement and maintain the order of market competition.",
    textCut: false,
  },
  {
    number: 3,
    section: 1,
    title: "improve the statistical monitoring and distribution system for small and medium-sized enterprises",
    text: "improve the statistical monitoring and distribution system for small and medium-sized enterprises. We will improve the statistical monitoring system for small and medium-sized enterprises and publish statistical data for small and medium-sized Establish a statistical system for investigating the financing situation of small and medium-sized enterprises and compile the financial condition index of small and medium-sized enterprises Strengthen the structural analysis of small and medium-sized enterprises and improve the level of statistical monitoring and analysis. Explore the use of big data and other means to monitor and analyze the operation of small and medium-sized enterprises. Improve the manual \"main Statistics of small and medium-sized Enterprises\" and study and compile the development index of small and medium-sized enterprises Timely revise the classification standards for small and medium-sized enterprises.",
    textCut: true,
  },
  {
    number: 4,
    section: 1,
    title: "improve the credit system for small and medium-sized enterprises",
    text: "improve the credit system for small and medium-sized enterprises. Adhere to the \"government + market\" model, establish and improve the collection, sharing and query mechanism of credit information of small and medium-sized enterprises, and rely on the national credit information sharing platform to integrate and share all kinds of enterprise-related public service data in a timely manner. We will establish and improve the credit evaluation system for small and medium-sized enterprises, improve the basic database of financial credit information, innovate credit information products for small and micro enterprises, and efficiently dock financial services. Study and promulgate relevant laws and regulations to standardize credit information collection, public inquiry and credit supervision of small and medium-sized enterprises. Give full play to the basic role of the national enterprise credit information publicity system, record the enterprise-related information in the name of the enterprise and publicize it in accordance with the law.",
    textCut: false,
  },
  {
    number: 5,
    section: 1,
    title: "improve the fair supervision system",
    text: "improve the fair supervision system. We will reduce regulatory matters, simplify the work process, promote online offices and guide assistants throughout the process, and comprehensively implement the reform of credit supervision and \"Internet plus supervision\". We will promote hierarchical classification and joint inter-departmental supervision, strengthen and standardize supervision after the event, implement and improve inclusive and prudent supervision, avoid taking simple and rough measures against small and medium-sized enterprises, and seriously investigate and deal with \"one-size-fits-all\" behavior.",
    textCut: false,
  },
  {
    number: 6,
    section: 2,
    title: "to improve an accurate and effective financial support system",
    text: "to improve an accurate and effective financial support system. The central finance shall set up the subject of small and medium-sized enterprises, and finance at or above the county level shall arrange special funds for the development of small and medium Establish the parent fund of the National SME Development Fund Company, improve the fund management system, improve the market-oriented operation mechanism of the fund, and guide local governments with conditions to set up SME development funds. We will improve the management of special funds and strengthen the performance evaluation of funds.",
    textCut: true,
  },
  {
    number: 7,
    section: 2,
    title: "to establish a long-term mechanism for reducing the tax burden on small and micro enterprises",
    text: "to establish a long-term mechanism for reducing the tax burden on small and micro enterprises. Implement tax policies conducive to the development of small and micro enterprises, implement measures such as postponement, reduction, exemption of enterprise income tax and value-added tax for qualified small and micro enterprises in accordance with the regulations, and simplify tax collection and management procedures; preferential policies such as reduction or reduction of administrative fees for small and micro enterprises will be implemented to reduce the tax burden on small and micro enterprises. We will properly implement the catalogue system of enterprise-related fees, strengthen the supervision and inspection of enterprise-related fees, and clean up and standardize enterprise-related fees.",
    textCut: false,
  },
  {
    number: 8,
    section: 2,
    title: "strengthen the policy mechanism of government procurement to support small and medium-sized enterprises",
    text: "strengthen the policy mechanism of government procurement to support small and medium-sized enterprises. We will revise the interim measures for Government Procurement to promote the Development of small and medium-sized Enterprises, improve measures such as reserved procurement shares and preferential price evaluation, and increase the share of small and medium-sized enterprises in government procurement. The share of procurement reserved for small and medium-sized enterprises shall account for more than 30% of the total annual government procurement project budget of this department, of which the proportion reserved for small and micro enterprises shall not be less than 60%.",
    textCut: false,
  },
  {
    number: 9,
    section: 3,
    title: "optimize the transmission mechanism of money and credit",
    text: "optimize the transmission mechanism of money and credit. Comprehensive use of monetary policy tools such as small re-lending, rediscount and differential deposit reserve ratio to guide commercial banks to increase the lending of small and micro enterprises. Further dredge the interest rate transmission channel to ensure that the quoted interest rate (LPR) in the loan market is effectively transmitted to the loan interest rate. We will establish a differential interest rate pricing mechanism for small and micro enterprises, promote the openness and transparency of credit interest rates and fees, and maintain a reasonable level of loan interest rate pricing for small and micro enterprises.",
    textCut: false,
  },
  {
    number: 10,
    section: 3,
    title: "improve the financial service system of multi-level small and micro enterprises",
    text: "improve the financial service system of multi-level small and micro enterprises. We will promote the building of an inclusive financial system, deepen the reform of the inclusive financial sector of large and medium-sized banks, and promote the orderly and healthy development of small and medium-sized banks, non-deposit financial institutions and Internet finance. Encourage financial institutions to innovate products and services, develop convenient loan renewal and credit loans, increase small and micro enterprises' first loans, medium-and long-term loans, and intellectual property pledge loans, carry out supply chain finance and accounts receivable financing, and strengthen the interaction between banks and taxes. We will promote financial technology to empower financial institutions to serve small and medium-sized enterprises. To study and promulgate the regulations on non-deposit lending organizations. We will speed up the construction of mechanisms such as the rapid resolution of microfinance disputes. We will improve and standardize the regulatory system of fees for enterprise-related services in the banking industry, and reduce the comprehensive financing costs of small and micro enterprises.",
    textCut: false,
  },
  {
    number: 11,
    section: 3,
    title: "strengthen the financial differential supervision and incentive mechanism for small and micro enterprises",
    text: "strengthen the financial differential supervision and incentive mechanism for small and micro enterprises. We will improve the long-term mechanism for the supervision of financial services of small and micro enterprises in commercial banks, and issue the measures for the Evaluation of Financial Services Supervision of small and Micro Enterprises of Commercial Banks. Revise the measures for performance Evaluation of Financial Enterprises. Link the service situation of small and micro enterprises of commercial banks with capital replenishment, financial bond issuance, (MPA) assessment of macro-prudential assessment, assessment and promotion of relevant responsible persons of the headquarters of financial institutions. Guide banking financial institutions to explore the establishment of credit due diligence exemption negative list system. Urge commercial banks to optimize the allocation of internal credit resources and assessment and incentive mechanisms, separate credit plans for small and micro enterprises, and improve loan services.",
    textCut: false,
  },
  {
    number: 12,
    section: 3,
    title: "improve the direct financing support system for small and medium-sized enterprises",
    text: "improve the direct financing support system for small and medium-sized enterprises. We will vigorously cultivate the venture capital market, improve the incentive and exit mechanism of venture capital, guide groups of angel investors, private equity and venture capital to expand equity financing for small and medium-sized enterprises, and invest more in long investment, early investment, small investment and innovation. We will steadily promote the reform of the registration system with information disclosure as the core, and support more high-quality small and medium-sized enterprises to land in the capital market. Small and medium-sized enterprises are encouraged to link up with the capital market through mergers and acquisitions. We will steadily promote the reform of the new third board and improve the mechanism for the transfer of listed companies to the board. We will improve the mechanism for the listing and cultivation of small and medium-sized enterprises, and encourage local governments to increase their support for small-scale upgrading, stock reform and listed enterprises. We will increase bond financing for high-quality small and medium-sized enterprises, develop more types of bonds suitable for small and medium-sized enterprises through market-oriented mechanisms, improve the credit-increasing mechanism of bond financing for small and medium-sized enterprises, and expand",
    textCut: true,
  },
  {
    number: 13,
    section: 3,
    title: "improve the financing guarantee system for small and medium-sized enterprises",
    text: "improve the financing guarantee system for small and medium-sized enterprises. We will improve the government financing guarantee system, give full play to the role of the state financing guarantee fund, implement the policy of reducing financing fees for small and micro enterprises, and improve the risk compensation mechanism and performance evaluation and incentive mechanism. guide government financing guarantee institutions at all levels to expand the scale of financing guarantee business for small and micro enterprises and reduce the level of guarantee rates. Encourage banking financial institutions to increase cooperation with government financing guarantee institutions, reasonably determine the risk-sharing ratio and risk weight of guaranteed loans, implement the due diligence exemption system for financial institutions and financing guarantee institutions, and improve the financing availability of small and micro enterprises. We will promote the establishment of a unified registration and publicity system for movable property and rights guarantee.",
    textCut: false,
  },
  {
    number: 14,
    section: 4,
    title: "improve the system of support for entrepreneurship",
    text: "improve the system of support for entrepreneurship. We will improve the entrepreneurial environment and extensively cultivate entrepreneurial subjects. We will improve the construction of entrepreneurial carriers, improve the support and evaluation mechanism, and provide low-cost, convenient and high-quality services for small and micro enterprises. Large enterprises are encouraged to give full play to their technological advantages, talent advantages and market advantages to provide support for entrepreneurial activities. Service organizations are encouraged to provide standardized and specialized services related to entrepreneurship.",
    textCut: false,
  },
  {
    number: 15,
    section: 4,
    title: "improve the innovation support system for small and medium-sized enterprises",
    text: "improve the innovation support system for small and medium-sized enterprises. We will innovate the deep industry-university-research integration mechanism for small and medium-sized enterprises, promote large and medium-sized enterprises to jointly participate in major scientific and technological projects, and promote the opening of innovative resources such as scientific research instruments, experimental facilities and pilot-scale test bases of universities, scientific research institutes and large enterprises to small and medium-sized enterprises We will adjust and improve the mode of project establishment, task deployment, organization and management of science and technology plans, greatly increase the proportion of R & D tasks undertaken by small and medium-sized enterprises, and increase direct support for their R & D activities. We will improve the professional market-oriented innovation service system, improve the mechanisms for supporting the innovation of small and medium-sized enterprises, such as the National technological Innovation Center and the Manufacturing Innovation Center, and enhance the ability and level of small and micro enterprise innovation demonstration bases, science and technology business incubators, professional mass innovation space, and university science and technology parks to support the innovation of small and medium-sized enterprises. We will improve the system for introducing and cultivating innovative talents in small and medium-sized enterprises, and optimize the mechanism for incentive and rights protection of talents. We will encourage technological innovation, product innovation and model innovation of small and medium-sized enterprises in an inclusive and prudent manner.",
    textCut: false,
  },
  {
    number: 16,
    section: 4,
    title: "improve the \"specialized and innovative\" development mechanism for supporting small and medium-sized enterprises",
    text: "improve the \"specialized and innovative\" development mechanism for supporting small and medium-sized enterprises. We will improve the gradient training system, standard system and evaluation mechanism for small and medium-sized enterprises, special new \"little giant\" enterprises and individual champion manufacturing enterprises, and guide small and medium-sized enterprises to take the road of \"specialization and innovation\". We will improve the system of collaborative innovation and integration of large and medium-sized enterprises and all kinds of subjects, give full play to the leading and supporting role of large enterprises, and improve the professional ability and level of small and medium-",
    textCut: true,
  },
  {
    number: 17,
    section: 4,
    title: "to build a new technology application mechanism based on information technology",
    text: "to build a new technology application mechanism based on information technology. Support small and medium-sized enterprises in the development and application of new-generation information technologies such as 5G, industrial Internet, big data, cloud computing, artificial intelligence and blockchain, as well as new material technology, intelligent green service manufacturing technology, advanced and efficient biotechnology, etc., improve the working mechanism to support small and medium-sized enterprises in the application of new technologies, and enhance the digital, networked, intelligent and green level of small and medium-sized enterprises. We will support industrial parks and industrial clusters to improve the supporting capacity of infrastructure, establish a public service platform for new technologies for small and medium-sized enterprises, improve the promotion mechanism of new technologies, and improve the overall application level of new technologies in parks and industrial chains.",
    textCut: false,
  },
  {
    number: 18,
    section: 5,
    title: "improve the service system for small and medium-sized enterprises",
    text: "improve the service system for small and medium-sized enterprises. We will improve the service system for small and medium-sized enterprises with the combination of government public services, market-oriented services and social public welfare services, and improve the benign development mechanism of service institutions and the gradient cultivation, collaborative service, evaluation and incentive mechanism of public service platforms. Explore the establishment of a national integrated platform for public services for small and medium-sized enterprises. We will develop the service industry of small and medium-sized enterprises, guide service institutions to provide standardized, refined and personalized services, and guide large enterprises to provide supporting services for small and medium-sized enterprises through the combination of industrial chain, supply chain, value chain and innovation chain. Encourage all kinds of social organizations to provide public welfare services for enterprises and explore the establishment of voluntary service mechanisms.",
    textCut: false,
  },
  {
    number: 19,
    section: 5,
    title: "to improve the mechanism for promoting the management of small and medium-sized enterprises",
    text: "to improve the mechanism for promoting the management of small and medium-sized enterprises. We will improve the training system for small and medium-sized enterprises, build courses, teaching materials, teachers and organizational systems with the characteristics of the times, build a moo platform, and build a multi-field, multi-level, online and offline training system for small and medium-sized enterprises. We will improve the system of training, using, evaluating and encouraging skilled personnel, speed up the training of high-quality skilled personnel, and carry forward the \"craftsman spirit\". Improve the brand cultivation mechanism for small and medium-sized enterprises. Implement quality management improvement actions for small and micro enterprises. We will improve the management consulting service mechanism for small and medium-sized enterprises.",
    textCut: false,
  },
  {
    number: 20,
    section: 5,
    title: "strengthen the mechanism for international exchanges and cooperation of small and medium-sized enterprises",
    text: "strengthen the mechanism for international exchanges and cooperation of small and medium-sized enterprises. We will deepen bilateral and multilateral cooperation mechanisms for SMEs and promote international exchanges and cooperation among SMEs. We will explore the construction of an overseas service system for small and medium-sized enterprises, consolidate the service mechanism for the international development of small and medium-sized enterprises, and provide assistance to small and medium-sized enterprises in the areas of international business legal consultation, intellectual property protection, technical trade measures, quality certification We will support qualified localities to build cooperation zones for Chinese and foreign small and medium-sized enterprises and improve the evaluation and incentive mechanism. We will promote the reform of tariff guarantee insurance. We will encourage the development of cross-border e-commerce and other new forms of business, and explore the establishment of a B2B export supervision system to support cross-border e-commerce.",
    textCut: false,
  },
  {
    number: 21,
    section: 6,
    title: "establish a system to protect the legitimate property rights of small and medium-sized enterprises and entrepreneurs",
    text: "establish a system to protect the legitimate property rights of small and medium-sized enterprises and entrepreneurs. We will resolutely protect the legitimate property rights of small and medium-sized enterprises and entrepreneurs, and punish illegal and criminal acts that infringe upon the legitimate rights and interests of investors, managers and employees of small and medium- Measures such as sealing up, detaining, and freezing shall be taken in strict accordance with legal procedures, the illegal gains, other property involved in the case and legitimate property shall be strictly distinguished in accordance with the law, and the property of an enterprise as a legal person and the personal property of shareholders shall be strictly distinguished. Establish a long-term mechanism for the governance of disputes involving government property rights. We will issue and implement the regulations on ensuring the payment of small and medium-sized Enterprises to curb the problem of arrears from the source.",
    textCut: true,
  },
  {
    number: 22,
    section: 6,
    title: "improve the intellectual property protection system for small and medium-sized enterprises",
    text: "improve the intellectual property protection system for small and medium-sized enterprises. We will improve laws, regulations and policies on the protection of intellectual property rights, establish and improve the system of punitive damages, and increase the amount of legal damages. We will implement the intellectual property strategy for small and medium-sized enterprises, strengthen the construction of intellectual property service agglomeration development areas, strengthen the patent navigation mechanism, and improve policies to support small and medium-sized enterprises in developing independent intellectual property technologies and products. We will optimize the intellectual property rights protection mechanism for small and medium-sized enterprises and build a number of intellectual property protection centers. We will build a diversified settlement mechanism for intellectual property disputes, strengthen intellectual property information public services for small and medium-sized enterprises, and promote arbitration and mediation of intellectual property disputes. Improve the efficiency of intellectual property examination and reduce the cost burden for small and medium-sized enterprises to apply for and maintain intellectual property rights.",
    textCut: false,
  },
  {
    number: 23,
    section: 6,
    title: "improve the rights protection and relief system for small and medium-sized enterprises",
    text: "improve the rights protection and relief system for small and medium-sized enterprises. We will build a unified platform for government consultation and complaint reporting, smooth the channels for small and medium-sized enterprises to express their demands, and improve the procedures for handling consultation and complaint reports and the supervision and assessment mechanism. Explore the establishment of public interest litigation system for small and medium-sized enterprises and international rights protection service mechanism. Legal service institutions are encouraged to provide legal consultation and public welfare services for small and micro enterprises. We will establish and improve emergency rescue and relief mechanisms for small and medium-sized enterprises to help them cope with force majeure events such as natural disasters, accident disasters, public health events and social security events.",
    textCut: false,
  },
  {
    number: 24,
    section: 7,
    title: "strengthen the working mechanism for promoting the development of small and medium-sized enterprises at all levels",
    text: "strengthen the working mechanism for promoting the development of small and medium-sized enterprises at all levels. Local people's governments at or above the county level must establish and improve the leading group for promoting the development of small and medium-sized enterprises, led by the government, and the office shall be located in the comprehensive management department responsible for promoting the development of small and medium-sized enterprises. The leading group should hold regular meetings to study and implement the major policy decisions of the CPC Central Committee and the State Council to promote the development of small and medium-sized enterprises, and promptly report the relevant work to the office of the leading group at the next higher level. All member units of the leading group should conscientiously implement the matters agreed by the leading group, establish an internal responsibility system, and strengthen the implementation of their work.",
    textCut: false,
  },
  {
    number: 25,
    section: 7,
    title: "improve the decision-making guarantee mechanism for small and medium-sized enterprises",
    text: "improve the decision-making guarantee mechanism for small and medium-sized enterprises. We will improve the policy consultation system for small and medium-sized enterprises, cultivate a number of new think tanks with Chinese characteristics focusing on the study of small and medium-sized enterprises, and establish a system for soliciting advice from small and medium-sized enterprises and experts before the introduction of policies and a system We will improve the mechanism for policy release, interpretation and public opinion guidance for small and medium-sized enterprises, and improve policy awareness, achievement and satisfaction. Regularly carry out third-party assessment of the development environment of small and medium-sized enterprises and publish the results to the public.",
    textCut: true,
  },
];

/** The 2020 plan: 关于健全支持中小企业发展制度的若干意见 (工信部联企业〔2020〕108号), 7 sections, 25 measures. */
export const defaultPlan: PlanDocument = {
  key: "2020-sme-support-system",
  titleEn:
    "Opinions of Seventeen departments on improving the system of supporting the Development of small and medium-sized Enterprises",
  titleZh: "关于健全支持中小企业发展制度的若干意见",
  documentNumber: "工信部联企业〔2020〕108号",
  issuedOn: "2020-07-03",
  publishedOn: "2020-07-24",
  leadDepartment: "MIIT",
  departments: issuingDepartmentCodes,
  sections,
  measures,
};

/**
 * The document's text before section I: whom it is addressed to and why it is issued. Not a measure, so nobody is
 * assigned to it; it is kept so that the plan can be shown whole (and so the tests can prove no text is lost).
 */
export const defaultPlanPreamble = {
  addressee:
    "people's governments of provinces, autonomous regions, municipalities directly under the Central Government and municipalities separately listed on the State plan, Xinjiang production and Construction Corps:",
  text: "Small and medium-sized enterprises are the main force of national economic and social development, an important foundation for building a modern economic system and promoting high-quality economic development, an important support for expanding employment and improving people's livelihood, and an important birthplace of entrepreneurship. The CPC Central Committee and the State Council attach great importance to the development of small and medium-sized enterprises, and have issued a series of policies and measures in recent years, and the relevant work has achieved positive results, but there are still some outstanding problems, especially some basic institutional problems to be solved urgently. In order to thoroughly implement the spirit of the fourth Plenary session of the 19th CPC Central Committee, adhere to and improve the basic socialist economic system, adhere to the \"two unwavering\", and form a regular and long-term mechanism for supporting the development of small and medium-sized enterprises, with the consent of the State Council, the following suggestions are put forward to improve the system of supporting the development of small and medium-sized enterprises.",
} as const;

/**
 * The document's closing: the signatories and the date, as the English source prints them. The translation runs the
 * 17 names together in a garbled order ("Bank of China Insurance Regulatory Commission" is CBIRC); `departments`
 * holds them properly, in the order of signature. Not a measure.
 */
export const defaultPlanClosing = {
  signatories: [
    "National Development and Reform Commission of the Ministry of Industry and Information Technology",
    "Ministry of Science and Technology, Ministry of Finance, Ministry of Human Resources and Social Security",
    "Ministry of Ecology and Environment, Department of Agriculture and villages, Ministry of Commerce, Department of Culture and Tourism",
    "General Administration of Customs of the people's Bank of China State Administration of Taxation",
    "National Bureau of Statistics, State Administration of Market Supervision and Administration",
    "Bank of China Insurance Regulatory Commission",
    "State intellectual property Office of China Securities Regulatory Commission",
  ],
  date: "July 3, 2020",
} as const;

/** Why a measure is flagged `textCut`: where, in its published text, the words stop. */
export interface TextCutEvidence {
  measureNumber: number;
  /** A verbatim excerpt of the measure text around the cut. */
  excerpt: string;
  /** "mid-paragraph": a sentence breaks off and the next one starts; "end": the measure's text stops mid-sentence. */
  where: "mid-paragraph" | "end";
  note: string;
}

/**
 * The cuts in the published English text, found by reading it. Four other places only lose a full stop, with the
 * sentence complete ((3) twice, (15), (20)); those lose no words and are not flagged.
 */
export const textCutEvidence2020: readonly TextCutEvidence[] = [
  {
    measureNumber: 1,
    excerpt: "and protecting the legitimate rights Encourage local governments",
    where: "mid-paragraph",
    note: "The sentence stops after \"the legitimate rights\" with no object and no full stop (the text elsewhere says \"legitimate rights and interests of ...\").",
  },
  {
    measureNumber: 3,
    excerpt: "publish statistical data for small and medium-sized Establish a statistical system",
    where: "mid-paragraph",
    note: "\"small and medium-sized\" is left without its noun and the next sentence starts.",
  },
  {
    measureNumber: 6,
    excerpt: "special funds for the development of small and medium Establish the parent fund",
    where: "mid-paragraph",
    note: "\"small and medium\" is left without the rest of the phrase and the next sentence starts.",
  },
  {
    measureNumber: 12,
    excerpt: "for small and medium-sized enterprises, and expand",
    where: "end",
    note: "The measure ends on \"and expand\", with no object and no full stop.",
  },
  {
    measureNumber: 16,
    excerpt: "improve the professional ability and level of small and medium-",
    where: "end",
    note: "The measure ends inside the word \"medium-\".",
  },
  {
    measureNumber: 21,
    excerpt: "investors, managers and employees of small and medium- Measures such as sealing up",
    where: "mid-paragraph",
    note: "The sentence breaks off inside \"small and medium-\" and the next sentence starts.",
  },
  {
    measureNumber: 25,
    excerpt: "before the introduction of policies and a system We will improve",
    where: "mid-paragraph",
    note: "\"and a system\" is left without saying what system, and the next sentence starts.",
  },
];
